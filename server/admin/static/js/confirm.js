// Forms with data-confirm ask before they are sent (no inline onclick: the pages' CSP forbids it).
document.addEventListener("submit", (event) => {
  const question = event.target.closest("form[data-confirm]")?.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
