// Building DOM without innerHTML: every text the server sends (rule ids, patterns, the
// admin's own YAML) lands in textContent, so nothing in it can run as markup.

/** el("li", {class: "add", title: "…"}, "text", childNode, null) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name in node && typeof value !== "string") node[name] = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** The URL of an admin path ("api/changes/review"), wherever the admin pages are mounted. */
export function adminUrl(path) {
  const root = document.querySelector('meta[name="admin-root"]').content;
  return new URL(path, new URL(root, location.href)).href;
}
