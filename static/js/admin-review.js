// Review by keyboard. On a pledge opened from the review queue: a approves, s sends back
// (type a comment, then Enter), n/j next draft, p/k previous, ? shows the keys. In the queue:
// j/k move between rows, Enter opens the draft. Keys typed into a field are the field's.
(() => {
  "use strict";

  const isTyping = (target) =>
    target instanceof Element &&
    (target.isContentEditable ||
      target.closest("input, textarea, select, .select2-container") !== null);

  const plainKey = (event) => !(event.ctrlKey || event.metaKey || event.altKey);

  function pledgeForm(panel) {
    const comment = document.getElementById("review-comment");
    const approve = document.getElementById("review-approve");
    const sendBack = document.getElementById("review-send-back");
    const help = document.getElementById("review-key-help");
    const follow = (rel) => {
      const link = panel.querySelector(`a[rel="${rel}"]`);
      if (link) window.location.assign(link.href);
    };
    let sendingBack = false;

    if (comment) {
      comment.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          sendingBack = false;
          comment.blur();
        } else if (event.key === "Enter" && sendingBack && sendBack) {
          // Enter after s sends back; otherwise the form's first button (Approve) applies.
          event.preventDefault();
          sendBack.click();
        }
      });
    }

    document.addEventListener("keydown", (event) => {
      if (!plainKey(event) || isTyping(event.target)) return;
      const actions = {
        a: () => approve && approve.click(),
        s: () => {
          if (!comment || !sendBack) return;
          sendingBack = true;
          comment.focus();
        },
        n: () => follow("next"),
        j: () => follow("next"),
        p: () => follow("prev"),
        k: () => follow("prev"),
        "?": () => help && (help.hidden = !help.hidden),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    });
  }

  function queueList() {
    const rows = Array.from(document.querySelectorAll("#result_list tbody tr"));
    if (rows.length === 0) return;
    let current = -1;
    const focusRow = (index, block = "nearest") => {
      if (current >= 0) rows[current].classList.remove("row-focus");
      current = Math.max(0, Math.min(rows.length - 1, index));
      const row = rows[current];
      row.classList.add("row-focus");
      row.tabIndex = -1;
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block });
    };
    // Back from a decision made in a row: the focus is on the next draft's row.
    const marked = window.location.hash.match(/^#pledge-(\d+)$/);
    if (marked) {
      const target = document.getElementById(`pledge-${marked[1]}`);
      const row = target && target.closest("tr");
      if (row) focusRow(rows.indexOf(row), "center");
    }
    document.addEventListener("keydown", (event) => {
      if (!plainKey(event) || isTyping(event.target)) return;
      if (event.key === "j" || event.key === "k") {
        event.preventDefault();
        focusRow(current + (event.key === "j" ? 1 : -1));
      } else if (event.key === "Enter" && current >= 0) {
        const link = rows[current].querySelector("th a, td a");
        if (!link) return;
        event.preventDefault();
        window.location.assign(link.href);
      }
    });
  }

  const panel = document.getElementById("review-panel");
  if (panel && panel.classList.contains("review-keys-on")) pledgeForm(panel);
  else if (document.body.classList.contains("model-pledgereviewqueue")) queueList();
})();
