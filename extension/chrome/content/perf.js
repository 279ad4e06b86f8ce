// User Timing entries for the coach's own work ("pmcoach:*"), so its cost per
// keystroke and per answer can be measured in a real page. Only the coach's own
// entries are cleared, now and then, so a mail tab left open for days does not
// collect them forever and the mail client's own entries are left alone.

const CLEAR_EVERY = 500;
const names = new Set();
let count = 0;

export function measure(name, start, end = performance.now()) {
  performance.measure(name, { start, end });
  names.add(name);
  if (++count >= CLEAR_EVERY) {
    count = 0;
    for (const used of names) performance.clearMeasures(used);
  }
}
