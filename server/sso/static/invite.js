// The invitation's secret is the link's fragment, which the browser never sends to the server:
// this page hands the whole link on, to the extension's settings or to be pasted into Outlook.
const ways = document.getElementById("ways");
const secret = location.hash.slice(1);
if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) {
  document.getElementById("incomplete").hidden = false;
  ways.hidden = true;
} else {
  document.getElementById("link").value = location.href;
  const open = document.getElementById("open-extension");
  if (open) {
    const page = `chrome-extension://${ways.dataset.extensionId}/options/options.html`;
    open.href = `${page}#invitation=${encodeURIComponent(location.href)}`;
  }
}
