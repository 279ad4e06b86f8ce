// A search box that hides table rows not containing what is typed (data-filter="#table").
for (const input of document.querySelectorAll("input[data-filter]")) {
  const table = document.querySelector(input.dataset.filter);
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of table.querySelectorAll("tr[data-filter-text]")) {
      const text = row.dataset.filterText.toLowerCase();
      row.hidden = !words.every((word) => text.includes(word));
    }
    for (const group of table.querySelectorAll("tbody[data-filter-group]")) {
      group.hidden = ![...group.querySelectorAll("tr[data-filter-text]")].some((row) => !row.hidden);
    }
  });
}
