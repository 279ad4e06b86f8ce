// Keeps the coach's floating pieces (badges, cards, banners, fallback underlines)
// on the text they belong to: any scroll (of the page or any scrolling ancestor,
// hence capture), window resize, transition, size change of a watched element, or
// a caller's schedule() (typing, the client's DOM changing) brings one
// repositioning pass in the next animation frame.

import { measure } from "./perf.js";

export function createLayoutLoop(win = window) {
  const subscribers = new Set();
  let frame = 0;

  const run = () => {
    frame = 0;
    const start = performance.now();
    for (const subscriber of subscribers) subscriber();
    if (subscribers.size) measure("pmcoach:layout", start);
  };
  const schedule = () => {
    if (!frame) frame = win.requestAnimationFrame(run);
  };
  const resizes = new ResizeObserver(schedule);

  win.addEventListener("scroll", schedule, { capture: true, passive: true });
  win.addEventListener("resize", schedule, { passive: true });
  // Sliding panels and animated windows move things without a scroll or resize.
  win.addEventListener("transitionend", schedule, { capture: true, passive: true });
  win.addEventListener("animationend", schedule, { capture: true, passive: true });

  return {
    schedule,
    /** Calls `reposition` on every layout change until the returned function is called. */
    subscribe(reposition) {
      subscribers.add(reposition);
      schedule();
      return () => subscribers.delete(reposition);
    },
    watch(element) {
      resizes.observe(element);
      return () => resizes.unobserve(element);
    },
  };
}
