// Progressive enhancement for the filter form; every page works without this file.

// Keep pushed URLs short and shareable: htmx sends every form field, empty ones too.
document.addEventListener("htmx:configRequest", (event) => {
  const params = event.detail.parameters;
  for (const key of Array.from(params.keys ? params.keys() : Object.keys(params))) {
    const values = params.getAll ? params.getAll(key) : [params[key]];
    if (values.every((value) => value === "")) {
      params.delete ? params.delete(key) : delete params[key];
    }
  }
});

// The form sits outside the swapped region (so the search box keeps focus), so links that
// change the filters (chips, "clear all", back and forward) leave it stale. Make it show
// what the address bar says, except the field the visitor is typing in.
function syncFiltersWithUrl() {
  const form = document.getElementById("filters");
  if (!form) return;
  const params = new URLSearchParams(window.location.search);
  for (const field of form.elements) {
    if (!field.name || field === document.activeElement || field.form !== form) continue;
    if (field.closest("#pledge-table, #dashboard-body")) continue; // refreshed with the partial
    const values = params.getAll(field.name);
    if (field.type === "checkbox") {
      field.checked = values.includes(field.value);
    } else if (field.type === "radio") {
      field.checked = values.includes(field.value);
    } else if (field.tagName === "SELECT" && field.multiple) {
      for (const option of field.options) option.selected = values.includes(option.value);
    } else if (field.type !== "submit" && field.type !== "button") {
      field.value = values[0] ?? "";
    }
  }
}

document.addEventListener("htmx:afterSettle", syncFiltersWithUrl);
document.addEventListener("htmx:historyRestore", syncFiltersWithUrl);
window.addEventListener("popstate", () => setTimeout(syncFiltersWithUrl, 0));

// Mark the results busy for screen readers while a new result loads.
document.addEventListener("htmx:beforeRequest", (event) => {
  const target = event.detail.target;
  if (target) target.setAttribute("aria-busy", "true");
});

// Where the filters sit above the table (static/css/app.css), they start folded, so the
// figures come first.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector(".filter-panel");
  if (panel && window.matchMedia("(max-width: 1359px)").matches) panel.open = false;
});
