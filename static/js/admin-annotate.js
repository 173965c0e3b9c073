// The pledge form: Ctrl+Enter (Cmd+Enter on a Mac) saves and opens the next suggestion.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const button = document.querySelector('input[name="_savenext"]');
  if (!button) return;
  event.preventDefault();
  button.click();
});

// A folded part of the form with an error in it opens, so the editor sees what to fix.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("fieldset.collapse").forEach((fieldset) => {
    const details = fieldset.querySelector("details");
    if (details && fieldset.querySelector(".errorlist, .errors")) details.open = true;
  });
});
