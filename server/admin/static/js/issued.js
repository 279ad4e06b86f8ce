// The tokens just issued, as a CSV the office can mail-merge. Built in the page from the table
// it shows: the server keeps no copy to download later.
const button = document.getElementById("download-tokens");
if (button) {
  button.addEventListener("click", () => {
    const quote = (value) => `"${value.replaceAll('"', '""')}"`;
    const rows = [...document.querySelectorAll("#issued-tokens tbody tr")].map((row) =>
      [...row.cells].map((cell) => quote(cell.textContent.trim())).join(","));
    const blob = new Blob([["email,token", ...rows].join("\r\n") + "\r\n"], { type: "text/csv" });
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(blob),
      download: `coach-tokens-${new Date().toISOString().slice(0, 10)}.csv`,
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
}
