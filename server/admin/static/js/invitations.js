// The invitation links just made, as a CSV for a mail merge: the address, the link, until when it
// works and what to do with it. Built in the page from the table it shows: the server keeps no copy.
const INSTRUCTIONS = {
  device: "Open this link in Chrome with the Pre-Match coach extension installed and choose Connect this browser; " +
    "or paste it into the Outlook add-in's Settings under Use an invitation link. It works once.",
  password: "Open this link to set your password for the coach's admin pages. It works once.",
};

const download = document.getElementById("download-invitations");
if (download) {
  download.addEventListener("click", () => {
    const quote = (value) => `"${String(value).replaceAll('"', '""')}"`;
    const rows = [...document.querySelectorAll("#invitations tbody tr")].map(({ dataset }) =>
      [dataset.email, dataset.link, dataset.expires, INSTRUCTIONS[dataset.purpose]].map(quote).join(","));
    const blob = new Blob([["email,link,valid_until,instructions", ...rows].join("\r\n") + "\r\n"],
      { type: "text/csv" });
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(blob),
      download: `coach-invitations-${new Date().toISOString().slice(0, 10)}.csv`,
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  document.getElementById("print-invitations").addEventListener("click", () => window.print());
}
