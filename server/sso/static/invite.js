// The invitation's secret is the link's fragment, which the browser never sends to a server:
// this page shows the whole link, to paste into the coach's settings in Chrome or in Outlook.
// In a Chrome whose coach already uses this server, the extension's own script
// (extension/chrome/content/invitation.js) shows a button that hands the link over instead.
const secret = location.hash.slice(1);
if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) {
  document.getElementById("incomplete").hidden = false;
  document.getElementById("ways").hidden = true;
} else {
  document.getElementById("link").value = location.href;
}
