// One shadow root, attached to <html> outside the mail client's own tree, holds
// everything the coach shows (badges, cards, dialogs, banners, fallback
// underlines). Nothing is ever inserted into the client's DOM, so its layout,
// framework and editor never see a foreign node.

const HOST_ATTRIBUTE = "data-pmcoach-ui";

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
  doc.documentElement.append(host);
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
  };
}

function present(children) {
  return children.filter((child) => child != null);
}
