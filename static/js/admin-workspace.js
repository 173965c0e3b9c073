// The annotation workspace: keys for the cards beside the article's text, and adding a pledge
// from words selected in it. Every button is a plain form; these keys only press them.
(() => {
  const root = document.getElementById("workspace");
  if (!root) return;
  const cards = Array.from(root.querySelectorAll(".ws-card"));
  const help = document.getElementById("workspace-help");
  const helpToggle = root.querySelector(".workspace-help-toggle");
  let index = Math.max(0, cards.findIndex((card) => card.classList.contains("current")));

  function show(next) {
    if (!cards.length) return;
    index = Math.min(Math.max(next, 0), cards.length - 1);
    cards.forEach((card, n) => card.classList.toggle("current", n === index));
    const card = cards[index];
    // Focus follows the current card, for screen readers and the focus ring.
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
    root.querySelectorAll("mark.current").forEach((mark) => mark.classList.remove("current"));
    const mark = root.querySelector(`mark[data-cards~="${card.dataset.card}"]`);
    if (mark) {
      mark.classList.add("current");
      const box = mark.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) mark.scrollIntoView({ block: "center" });
    }
  }

  function press(selector) {
    const card = cards[index];
    const control = card && card.querySelector(selector);
    if (control) control.click();
  }

  function toggleHelp() {
    help.hidden = !help.hidden;
    helpToggle.setAttribute("aria-expanded", String(!help.hidden));
  }

  // The selected words and their sentence go with the form; a selection across sentences
  // belongs to the sentence it starts in.
  const selectionForm = document.getElementById("selection-form");
  function selectionFill() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return false;
    const node = selection.anchorNode;
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    const sentence = element && element.closest(".ws-sentence");
    if (!sentence) return false;
    selectionForm.elements.sentence.value = sentence.dataset.sentence;
    selectionForm.elements.text.value = selection.toString().trim();
    return true;
  }
  // Clicking the button would clear the selection first on some browsers: keep it on mousedown.
  let selected = false;
  selectionForm.addEventListener("mousedown", () => { selected = selectionFill(); });
  selectionForm.addEventListener("submit", (event) => {
    if (!selected && !selectionFill()) {
      event.preventDefault();
      window.alert(selectionForm.querySelector("button").title);
    }
    selected = false;
  });

  cards.forEach((card, n) => card.addEventListener("click", () => show(n)));
  root.querySelectorAll("mark[data-cards]").forEach((mark) => {
    mark.addEventListener("click", () => {
      const number = mark.dataset.cards.split(" ")[0];
      show(cards.findIndex((card) => card.dataset.card === number));
    });
  });
  helpToggle.addEventListener("click", toggleHelp);

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const actions = {
      j: () => show(index + 1),
      k: () => show(index - 1),
      a: () => press(".ws-accept button"),
      r: () => press(".ws-reject button"),
      e: () => press(".ws-edit"),
      A: () => {
        // The accept-all form sits on the first card of the sentence.
        const position = cards[index] && cards[index].dataset.position;
        const first = cards.find((card) => card.dataset.position === position);
        const button = first && first.querySelector(".ws-accept-all button");
        if (button) button.click();
        else press(".ws-accept button");
      },
      u: () => {
        const button = document.querySelector("#undo-form button");
        if (button && !button.disabled) button.click();
      },
      n: () => {
        if (selectionFill()) selectionForm.submit();
      },
      "?": toggleHelp,
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  show(index);
})();
