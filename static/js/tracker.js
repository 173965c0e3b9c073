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

// Mark the table busy for screen readers while a new result loads.
document.addEventListener("htmx:beforeRequest", (event) => {
  const table = document.getElementById("pledge-table");
  if (table) table.setAttribute("aria-busy", "true");
});
