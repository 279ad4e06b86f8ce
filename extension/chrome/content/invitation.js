// The school's own invitation page (SERVER/invite#SECRET), and no other page: the service
// worker registers this script for the server in the coach's settings only. It shows the
// page's "Connect this browser" button, which hands the link to the coach's settings. So no
// other site can open the settings with an invitation of its own (and another server in
// it), nor learn that the coach is installed.
(() => {
  const button = document.getElementById("connect-extension");
  if (!button) return;
  button.hidden = false;
  document.getElementById("paste-in-chrome").hidden = true;
  button.addEventListener("click", () => {
    chrome.runtime.sendMessage({ type: "invitation.open", link: location.href });
  });
})();
