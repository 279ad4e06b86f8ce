// How each severity is named to the user and ordered.

export const SEVERITY_LABEL = { error: "Error", warning: "Warning", info: "Tip" };
export const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

export function bySeverity(a, b) {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.offset - b.offset;
}
