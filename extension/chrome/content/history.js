// Turns the ledger's summary for the recipients into the lines the badge shows:
// "Last contact: thank-you note, 12 Dec", "#1 letter in this track: sent to ...".

const KIND_LABEL = {
  pre_interview: "pre-interview note",
  thank_you: "thank-you note",
  update: "update letter",
  letter_of_interest: "letter of interest",
  letter_of_intent: "letter of intent",
  inquiry: "inquiry",
  reply: "reply",
  other: "email",
};

const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

function day(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : dateFormat.format(date);
}

/** @returns {{text: string, alert: boolean}[]} most important first */
export function historyLines(summary) {
  if (!summary) return [];
  const lines = [];
  const programKey = summary.program?.key;
  const track = summary.program?.track;
  // One #1 per track is honest; only this program's track matters when it is known.
  const claims = (summary.first_choice || []).filter((claim) => !track || !claim.track || claim.track === track);
  for (const claim of claims) {
    const name = claim.program?.name || claim.program?.key || "another program";
    const where = track || !claim.track ? "this track" : claim.track;
    if (programKey && claim.program?.key === programKey) {
      lines.push({ text: `You already told ${name} it is your #1 (${day(claim.at)})`, alert: false });
    } else {
      lines.push({ text: `#1 letter in ${where}: sent to ${name}, ${day(claim.at)}`, alert: true });
    }
  }
  const history = summary.history || [];
  if (history.length) {
    const [last] = history;
    const count = history.length > 1 ? ` (${history.length} emails so far)` : "";
    lines.push({ text: `Last contact: ${KIND_LABEL[last.kind] || "email"}, ${day(last.at)}${count}`, alert: false });
  } else if (summary.program) {
    lines.push({ text: `No earlier email to ${summary.program.name}`, alert: false });
  }
  return lines.sort((a, b) => Number(b.alert) - Number(a.alert));
}
