// Copied from extension/core/dom/highlight-painter.js by node scripts/client-core.mjs: edit that file, then run the command.
// Underlines with the CSS Custom Highlight API: live Ranges registered in
// CSS.highlights and styled by ::highlight() in highlights.css. The browser paints
// them and keeps them on their words through scrolling, resizing and reflow,
// and the editor's DOM is never touched.

import { SEVERITIES } from "../warnings.js";

export function createHighlightPainter() {
  const layers = new Map();
  SEVERITIES.forEach((severity, index) => {
    const highlight = new Highlight();
    highlight.priority = SEVERITIES.length - index;
    CSS.highlights.set(`pmcoach-${severity}`, highlight);
    layers.set(severity, highlight);
  });
  const active = new Highlight();
  active.priority = 10;
  CSS.highlights.set("pmcoach-active", active);
  const painted = new Map();

  const clear = (owner) => {
    for (const { range, severity } of painted.get(owner) || []) layers.get(severity).delete(range);
    painted.delete(owner);
  };

  return {
    /** Replaces `owner`'s underlines with `marks` ({range, severity}). */
    paint(owner, marks) {
      clear(owner);
      for (const { range, severity } of marks) layers.get(severity).add(range);
      painted.set(owner, marks);
    },
    clear,
    /** Shades the warning whose card is open. */
    setActive(range) {
      active.clear();
      if (range) active.add(range);
    },
  };
}
