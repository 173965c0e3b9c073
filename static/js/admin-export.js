// The export form's "select all" toggle, bound here: the package binds it with an inline
// onchange handler, which the Content-Security-Policy blocks. onSelectToggleChange comes
// from django-import-export's export_selectable_fields.js, loaded before this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".select-toggle");
  if (toggle && typeof onSelectToggleChange === "function") {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});
