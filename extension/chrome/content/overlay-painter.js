// Underlines for browsers without the CSS Custom Highlight API: boxes in the
// coach's shadow root under each line box of a Range (Range.getClientRects()),
// clipped to the editor's visible area and redrawn on every layout change.

export function createOverlayPainter(ui, layout) {
  const layer = ui.add(ui.element("div", "layer"));
  const painted = new Map();
  let activeBox = null;

  const draw = () => {
    const boxes = [];
    for (const { clip, marks } of painted.values()) {
      const visible = clip.getBoundingClientRect();
      for (const { range, severity } of marks) {
        for (const rect of range.getClientRects()) {
          if (rect.bottom < visible.top || rect.top > visible.bottom || rect.width === 0) continue;
          const left = Math.max(rect.left, visible.left);
          const right = Math.min(rect.right, visible.right);
          if (right <= left) continue;
          const box = ui.element("div", `underline ${severity}`);
          box.style.cssText = `left:${left}px;top:${rect.bottom - 2}px;width:${right - left}px`;
          boxes.push(box);
        }
      }
    }
    if (activeBox) boxes.push(...activeBox());
    layer.replaceChildren(...boxes);
  };
  layout.subscribe(draw);

  return {
    paint(owner, marks) {
      painted.set(owner, { clip: owner.body, marks });
      layout.schedule();
    },
    clear(owner) {
      painted.delete(owner);
      layout.schedule();
    },
    setActive(range) {
      activeBox = range
        ? () =>
            [...range.getClientRects()].map((rect) => {
              const box = ui.element("div", "underline active");
              box.style.cssText = `left:${rect.left}px;top:${rect.top}px;width:${rect.width}px;height:${rect.height}px;background:rgba(26,115,232,.16)`;
              return box;
            })
        : null;
      layout.schedule();
    },
  };
}
