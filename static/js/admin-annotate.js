// The pledge form: Ctrl+Enter (Cmd+Enter on a Mac) saves and opens the next suggestion.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const button = document.querySelector('input[name="_savenext"]');
  if (!button) return;
  event.preventDefault();
  button.click();
});
