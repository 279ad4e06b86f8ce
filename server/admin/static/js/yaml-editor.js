// A YAML editor without a library: the admin types in a plain <textarea> (so undo, search,
// copy and paste, screen readers and spell-check settings all work as usual) whose text
// is transparent, over a <pre> that shows the same text highlighted, with line numbers.
// Both scroll together. Only what a rule file holds is highlighted: comments, keys, list
// dashes, strings (with <marker> spans and {word_list} names), block scalars and numbers.

import { el } from "./dom.js";

const KEY = /^(\s*)(- +)?((?:"[^"]*"|'[^']*'|[^\s#'"{[][^:#]*?))(\s*:)(?=\s|$)/;
const SCALAR = /^(true|false|null|~|-?\d+(?:\.\d+)?)\s*(#.*)?$/;
const BLOCK_START = /[|>][+-]?\d*\s*(#.*)?$/;

/** Spans for a string's text: <marker>…</marker> and {list} references stand out. */
function stringParts(text, cls) {
  const parts = [];
  const pattern = /<\/?marker>|\{[A-Za-z_]+\}/g;
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    if (found.index > last) parts.push(el("span", { class: cls }, text.slice(last, found.index)));
    parts.push(el("span", { class: found[0].startsWith("{") ? "y-ref" : "y-marker" }, found[0]));
    last = found.index + found[0].length;
  }
  if (last < text.length) parts.push(el("span", { class: cls }, text.slice(last)));
  return parts;
}

/** A value after a key or a dash: a quoted string, a plain scalar, a flow collection, and a comment. */
function valueParts(text) {
  const parts = [];
  let rest = text;
  while (rest) {
    const space = rest.match(/^\s+/);
    if (space) {
      parts.push(space[0]);
      rest = rest.slice(space[0].length);
      continue;
    }
    if (rest[0] === "#") {
      parts.push(el("span", { class: "y-comment" }, rest));
      break;
    }
    const quoted = rest.match(/^"(?:[^"\\]|\\.)*"?|^'(?:[^']|'')*'?/);
    if (quoted) {
      parts.push(...stringParts(quoted[0], "y-string"));
      rest = rest.slice(quoted[0].length);
      continue;
    }
    const scalar = rest.match(SCALAR);
    if (scalar) {
      parts.push(el("span", { class: "y-number" }, scalar[1]));
      rest = rest.slice(scalar[1].length);
      continue;
    }
    const plain = rest.match(/^(?:[^\s#]|\s+(?!#))+/);
    parts.push(...stringParts(plain[0], /^[[\]{},]+$/.test(plain[0]) ? "y-punct" : "y-plain"));
    rest = rest.slice(plain[0].length);
  }
  return parts;
}

/** One line's spans; `state.block` is the indent of an open block scalar (| or >), or -1. */
function lineParts(line, state) {
  const indent = line.match(/^\s*/)[0].length;
  if (state.block >= 0) {
    if (!line.trim() || indent > state.block) return stringParts(line, "y-string");
    state.block = -1;
  }
  if (/^---(\s|$)/.test(line) || /^\.\.\.(\s|$)/.test(line)) return [el("span", { class: "y-doc" }, line)];
  if (/^\s*#/.test(line)) return [el("span", { class: "y-comment" }, line)];
  const parts = [];
  let rest = line;
  const key = line.match(KEY);
  if (key) {
    parts.push(key[1]);
    if (key[2]) parts.push(el("span", { class: "y-dash" }, key[2]));
    parts.push(el("span", { class: "y-key" }, key[3]), el("span", { class: "y-punct" }, key[4]));
    rest = line.slice(key[0].length);
  } else {
    const dash = line.match(/^(\s*)(- +|-$)/);
    if (dash) {
      parts.push(dash[1], el("span", { class: "y-dash" }, dash[2]));
      rest = line.slice(dash[0].length);
    }
  }
  if (BLOCK_START.test(rest.trim()) && /^\s*[|>]/.test(rest)) {
    state.block = indent;
    parts.push(el("span", { class: "y-punct" }, rest));
    return parts;
  }
  parts.push(...valueParts(rest));
  return parts;
}

/**
 * Turns a textarea into the highlighted editor. `onInput` is called on every edit, `onEscape`
 * when Escape lets the next Tab leave the editor (to announce it).
 * Returns {value, setValue, markLine(n, message), clearMark(), focusLine(n)}.
 */
export function yamlEditor(textarea, { onInput, onEscape } = {}) {
  const gutter = el("pre", { class: "yaml-gutter", "aria-hidden": "true" });
  const shade = el("pre", { class: "yaml-shade", "aria-hidden": "true" });
  const frame = el("div", { class: "yaml-editor" }, gutter, el("div", { class: "yaml-stack" }, shade));
  textarea.replaceWith(frame);
  frame.querySelector(".yaml-stack").append(textarea);
  textarea.classList.add("yaml-input");
  let marked = 0;

  const render = () => {
    const state = { block: -1 };
    const lines = textarea.value.split("\n");
    shade.replaceChildren(...lines.map((line, index) =>
      el("span", { class: index + 1 === marked ? "y-line y-error" : "y-line" }, ...lineParts(line, state), "\n")));
    gutter.replaceChildren(...lines.map((_, index) =>
      el("span", { class: index + 1 === marked ? "y-error" : "" }, `${index + 1}\n`)));
    follow();
  };
  const follow = () => {
    shade.scrollTop = textarea.scrollTop;
    shade.scrollLeft = textarea.scrollLeft;
    gutter.scrollTop = textarea.scrollTop;
  };
  textarea.addEventListener("input", () => {
    render();
    onInput?.();
  });
  textarea.addEventListener("scroll", follow);
  textarea.addEventListener("keydown", (event) => {
    // Tab indents by two spaces, as YAML wants; Escape then Tab leaves the editor.
    if (event.key !== "Tab" || event.shiftKey || textarea.dataset.tabOut) return;
    event.preventDefault();
    document.execCommand("insertText", false, "  ");
  });
  textarea.addEventListener("keyup", (event) => {
    if (event.key !== "Escape") return;
    textarea.dataset.tabOut = "1";
    onEscape?.();
  });
  textarea.addEventListener("blur", () => delete textarea.dataset.tabOut);
  render();

  return {
    get value() {
      return textarea.value;
    },
    setValue(text) {
      textarea.value = text;
      render();
    },
    markLine(line) {
      marked = line || 0;
      render();
    },
    clearMark() {
      if (!marked) return;
      marked = 0;
      render();
    },
    focusLine(line) {
      const lines = textarea.value.split("\n");
      const start = lines.slice(0, Math.max(0, line - 1)).reduce((sum, text) => sum + text.length + 1, 0);
      textarea.focus();
      textarea.setSelectionRange(start, start + (lines[line - 1] || "").length);
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
      textarea.scrollTop = Math.max(0, (line - 4) * lineHeight);
      follow();
    },
  };
}
