// The plain text the server checks, read from a rich-text editor, together with a
// map back to the DOM so a warning's offset/length (UTF-16 code units, as in JS
// strings) becomes a Range over exactly the words the server meant.
//
// Quoted history (an earlier message in a reply) is sent with "> " before each
// line, which the server already treats as not the applicant's writing; those
// marker characters map to no DOM text and are never underlined.

const BLOCK_TAGS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGURE", "FOOTER",
  "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "OL", "P", "PRE", "SECTION",
  "TABLE", "TR", "UL",
]);
const SKIPPED_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IMG", "svg"]);

/**
 * @param {Element} root the editor (or a received message's body)
 * @param {{isQuote?: (el: Element) => boolean, startsQuote?: (el: Element) => boolean}} quotes
 *   isQuote: the element's whole subtree is quoted; startsQuote: it and everything after it is.
 * @returns {{text: string, segments: {node: Text, start: number, nodeStart: number, length: number}[]}}
 */
export function readPlainText(root, quotes = {}) {
  const parts = [];
  const segments = [];
  let length = 0;
  let atLineStart = true;
  let quoteDepth = 0;
  let quotedFromHereOn = false;

  const push = (str) => {
    parts.push(str);
    length += str.length;
  };
  const endLine = () => {
    if (length > 0 && !atLineStart) {
      push("\n");
      atLineStart = true;
    }
  };
  const text = (node) => {
    const data = node.data;
    let from = 0;
    while (from <= data.length) {
      const newline = data.indexOf("\n", from);
      const to = newline === -1 ? data.length : newline;
      if (to > from) {
        if (atLineStart && (quoteDepth || quotedFromHereOn)) push("> ");
        segments.push({ node, start: length, nodeStart: from, length: to - from });
        push(data.slice(from, to));
        atLineStart = false;
      }
      if (newline === -1) break;
      push("\n");
      atLineStart = true;
      from = newline + 1;
    }
  };
  const walk = (element) => {
    for (let node = element.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.data) text(node);
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || SKIPPED_TAGS.has(node.tagName) || node.hidden) continue;
      if (node.tagName === "BR") {
        push("\n");
        atLineStart = true;
        continue;
      }
      if (!quotedFromHereOn && quotes.startsQuote?.(node)) quotedFromHereOn = true;
      const block = BLOCK_TAGS.has(node.tagName);
      const quoted = quotes.isQuote?.(node) || false;
      if (block) endLine();
      if (quoted) quoteDepth++;
      walk(node);
      if (quoted) quoteDepth--;
      if (block) endLine();
    }
  };
  walk(root);
  return { text: parts.join(""), segments };
}

/** The DOM Range for [offset, offset + length) of a readPlainText() result, or null. */
export function rangeFor({ segments }, offset, length) {
  if (length <= 0 || !segments.length) return null;
  const start = locate(segments, offset, false);
  const end = locate(segments, offset + length, true);
  if (!start || !end) return null;
  const range = new Range();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset);
  return range.collapsed ? null : range;
}

// Binary search for the segment holding a text offset; a start snaps forward and
// an end snaps back when the offset falls on an unmapped newline or quote marker.
function locate(segments, offset, isEnd) {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[mid].start < offset || (!isEnd && segments[mid].start === offset)) low = mid;
    else high = mid - 1;
  }
  let segment = segments[low];
  if (isEnd) {
    if (offset <= segment.start) return null;
    const within = Math.min(offset - segment.start, segment.length);
    return { node: segment.node, offset: segment.nodeStart + within };
  }
  if (offset >= segment.start + segment.length) {
    segment = segments[low + 1];
    if (!segment) return null;
    return { node: segment.node, offset: segment.nodeStart };
  }
  if (offset < segment.start) return { node: segment.node, offset: segment.nodeStart };
  return { node: segment.node, offset: segment.nodeStart + (offset - segment.start) };
}
