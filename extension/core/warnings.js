// How every client names and orders the server's warnings, so that a student sees the
// same words in Gmail and in Outlook, and an advisor in the live panel sees what the
// student sees.

/** The severities, most serious first. */
export const SEVERITIES = Object.freeze(["error", "warning", "info"]);

const LABELS = Object.freeze({ error: "Error", warning: "Warning", info: "Tip" });

/** "Error", "Warning", "Tip". */
export function severityLabel(severity) {
  return LABELS[severity] || severity;
}

/** "1 error", "2 warnings", "0 tips". */
export function severityCount(count, severity) {
  return `${count} ${severityLabel(severity).toLowerCase()}${count === 1 ? "" : "s"}`;
}

/** [["error", 2], ["warning", 0], ["info", 1]]: how many of each, most serious first. */
export function severityCounts(warnings) {
  return SEVERITIES.map((severity) => [severity, warnings.filter((warning) => warning.severity === severity).length]);
}

/** "2 errors, 1 tip": each severity that occurs, most serious first; "" for none. */
export function countsText(warnings) {
  return severityCounts(warnings)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => severityCount(count, severity))
    .join(", ");
}

/**
 * The server's order (server/engine/check.py): the subject's warnings first, then by
 * where they start in the text, then by rule id. It reads like the email, top to
 * bottom, and it is the same in every client whatever order the warnings come in.
 */
export function sortWarnings(warnings) {
  return warnings.slice().sort((a, b) =>
    (a.field === "subject" ? 0 : 1) - (b.field === "subject" ? 0 : 1)
    || a.offset - b.offset
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
