// The sign-in dialog's last page: the server sent it here with #code=...&state=... (or an
// error), which no server saw. It hands that to the task pane and leaves the address bar.
const answer = location.hash.slice(1);
history.replaceState(null, "", location.pathname);
Office.onReady(() => Office.context.ui.messageParent(answer));
