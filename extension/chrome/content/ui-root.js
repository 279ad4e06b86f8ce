// One shadow root, attached to <html> outside the mail client's own tree (its first
// child, so it is the first of the coach's hosts in the document), holds what the
// coach shows over the page (badges, cards, dialogs, notices, fallback underlines). The
// one thing that takes a place in the page's own flow is a note about a received
// message, which must push the message down rather than cover its header: it gets a
// host element of its own, beside the message and never inside an editor, with its own
// shadow root, so the client's styles and scripts never reach it.

const HOST_ATTRIBUTE = "data-pmcoach-ui";
const IN_FLOW_ATTRIBUTE = "data-pmcoach-note";

export async function createUiRoot(doc = document) {
  const host = doc.createElement("div");
  host.setAttribute(HOST_ATTRIBUTE, "");
  // `all: initial` keeps the page's CSS out; a fixed zero-size box keeps ours out of the page's layout.
  host.style.cssText = "all: initial; position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483000;";
  // Open, so tests and assistive technology can reach the coach's controls.
  const shadow = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(await (await fetch(chrome.runtime.getURL("content/ui.css"))).text());
  shadow.adoptedStyleSheets = [sheet];
  doc.documentElement.prepend(host);
  return {
    shadow,
    /** A new element with `className` and children (nodes or text; null and undefined are left out). */
    element(tag, className, ...children) {
      const element = doc.createElement(tag);
      if (className) element.className = className;
      element.append(...present(children));
      return element;
    },
    /** Replaces an element's children, leaving out null and undefined. */
    fill(element, ...children) {
      element.replaceChildren(...present(children));
    },
    add(element) {
      shadow.append(element);
      return element;
    },
    /** Shows `content` in the page's flow just before `anchor`; returns the host element to remove. */
    inFlow(anchor, content) {
      const note = doc.createElement("div");
      note.setAttribute(HOST_ATTRIBUTE, "");
      note.setAttribute(IN_FLOW_ATTRIBUTE, "");
      note.style.cssText = "all: initial; display: block; margin: 0 0 12px;";
      const root = note.attachShadow({ mode: "open" });
      root.adoptedStyleSheets = [sheet];
      root.append(content);
      anchor.before(note);
      return note;
    },
  };
}

function present(children) {
  return children.filter((child) => child != null);
}
