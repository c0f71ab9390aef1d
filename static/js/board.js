// Pipeline board: one stage at a time on a phone, drag and drop between columns on a desk.
// The page has one move menu (#board-move), shared by every card: a card's "Move" link
// (which without this script opens the profile's stage form) opens it beside the card.
// Picking a stage there and dragging the card post the same request through move(), and
// the server's answer redraws the board.
(() => {
  const phone = window.matchMedia("(max-width: 767.98px)");
  let shownStage = null; // the stage picked on a phone, kept across HTMX redraws
  let focusAfterSwap = null; // the card that moved: its "Move" button is focused again
  let menuCard = null; // the card whose menu is open

  function showStage(board) {
    const picker = board.querySelector("#board-stage");
    const columns = board.querySelector(".board");
    if (!picker || !columns) return;
    if (shownStage && picker.querySelector(`option[value="${shownStage}"]`)) {
      picker.value = shownStage;
    }
    shownStage = picker.value;
    columns.classList.add("board-one-stage");
    columns.querySelectorAll(".board-column").forEach((column) => {
      column.classList.toggle("is-shown", column.dataset.stage === shownStage);
    });
    picker.closest(".board-stage-picker").hidden = false;
  }

  function move(card, stage) {
    const form = document.querySelector("#board-move form");
    if (!form || typeof htmx === "undefined") return;
    focusAfterSwap = card.dataset.influencer;
    const url = form.dataset.moveUrl.replace("/0/", `/${card.dataset.influencer}/`);
    // The form is the source: its "from" field goes along, and htmx adds the CSRF header.
    htmx.ajax("POST", url, { source: form, target: "#board", swap: "innerHTML", values: { stage } });
  }

  // --- The shared move menu ---------------------------------------------------

  function openMenu(trigger) {
    const menu = document.getElementById("board-move");
    const card = trigger.closest(".board-card");
    closeMenu(false);
    menuCard = card;
    const current = card.closest(".board-cards").dataset.stage;
    const name = card.querySelector(".board-name").textContent;
    const title = menu.querySelector("#board-move-title");
    title.textContent = title.dataset.title.replace("__name__", name);
    menu.querySelectorAll("button[name=stage]").forEach((button) => {
      button.disabled = button.value === current;
      button.setAttribute("aria-current", button.value === current ? "true" : "false");
    });
    menu.hidden = false;
    // Below the button, kept inside the screen (a phone is narrow).
    const box = trigger.getBoundingClientRect();
    const width = menu.offsetWidth;
    const left = Math.max(8, Math.min(box.right - width, document.documentElement.clientWidth - width - 8));
    menu.style.left = `${left + window.scrollX}px`;
    menu.style.top = `${box.bottom + window.scrollY + 4}px`;
    trigger.setAttribute("aria-expanded", "true");
    menu.querySelector("button[name=stage]:not(:disabled)")?.focus();
  }

  function closeMenu(returnFocus) {
    const menu = document.getElementById("board-move");
    if (!menu || menu.hidden) return;
    menu.hidden = true;
    const trigger = menuCard?.querySelector(".board-move");
    trigger?.setAttribute("aria-expanded", "false");
    if (returnFocus && trigger) trigger.focus();
    menuCard = null;
  }

  function setUpMenu(board) {
    const menu = document.getElementById("board-move");
    if (!menu) return;
    document.body.append(menu); // placed in page coordinates, whatever the layout around
    // Without this script the "Move" links open the profile; with it they are buttons.
    board.addEventListener("click", (event) => {
      const trigger = event.target.closest(".board-move");
      if (!trigger) return;
      event.preventDefault();
      if (menuCard === trigger.closest(".board-card")) closeMenu(true);
      else openMenu(trigger);
    });
    board.addEventListener("keydown", (event) => {
      if (event.key === " " && event.target.matches(".board-move")) {
        event.preventDefault(); // a button opens on Space too
        openMenu(event.target);
      }
    });
    menu.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      const card = menuCard;
      const stage = event.submitter?.value;
      closeMenu(false);
      if (card && stage) move(card, stage);
    });
    menu.addEventListener("keydown", (event) => {
      const buttons = [...menu.querySelectorAll("button[name=stage]:not(:disabled)")];
      const at = buttons.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        closeMenu(true);
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        buttons[(at + step + buttons.length) % buttons.length]?.focus();
      }
    });
    // Leaving the menu (Tab past its end, a click elsewhere) closes it.
    menu.addEventListener("focusout", (event) => {
      if (event.relatedTarget && !menu.contains(event.relatedTarget)) closeMenu(false);
    });
    document.addEventListener("pointerdown", (event) => {
      if (!menu.hidden && !menu.contains(event.target) && !event.target.closest(".board-move")) {
        closeMenu(false);
      }
    });
  }

  function markButtons(board) {
    board.querySelectorAll(".board-move").forEach((trigger) => {
      trigger.setAttribute("role", "button");
      trigger.setAttribute("aria-haspopup", "dialog");
      trigger.setAttribute("aria-controls", "board-move");
      trigger.setAttribute("aria-expanded", "false");
    });
  }

  // --- Dragging ---------------------------------------------------------------

  function moveByDrag(event) {
    const stage = event.to.dataset.stage;
    if (event.from === event.to || !stage) return;
    move(event.item, stage);
  }

  function enableDragging(board) {
    const columns = board.querySelector(".board[data-board-sortable]");
    if (!columns || phone.matches || typeof Sortable === "undefined") return;
    columns.querySelectorAll(".board-cards").forEach((list) => {
      Sortable.create(list, {
        group: "board",
        draggable: ".board-card",
        filter: "a",
        preventOnFilter: false, // the links keep working
        sort: false, // order within a column is by name
        forceFallback: true, // mouse events: the same in every browser, and testable
        fallbackOnBody: true,
        ghostClass: "board-card-ghost",
        chosenClass: "board-card-chosen",
        onStart: () => closeMenu(false),
        onEnd: moveByDrag,
      });
    });
  }

  function setUp(board) {
    showStage(board);
    markButtons(board);
    enableDragging(board);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const board = document.getElementById("board");
    if (!board) return;
    setUp(board);
    setUpMenu(board);
    board.addEventListener("change", (event) => {
      if (event.target.id === "board-stage") {
        closeMenu(false);
        shownStage = event.target.value;
        showStage(board);
      }
    });
    // The new cards' "Move" links become buttons at once, before anyone can see them.
    document.body.addEventListener("htmx:afterSwap", (event) => {
      if (event.detail.target === board) markButtons(board);
    });
    // After settling, not swapping: while settling htmx puts back the new attributes of
    // elements that keep their id, which would drop the classes set here.
    document.body.addEventListener("htmx:afterSettle", (event) => {
      if (event.detail.target !== board) return;
      setUp(board);
      // Keep the keyboard where it was: on the moved card's "Move" button if it is still
      // shown, else on the stage picker (a phone shows one stage; the card left it).
      const pk = focusAfterSwap;
      focusAfterSwap = null;
      const trigger = pk && board.querySelector(`[data-influencer="${pk}"] .board-move`);
      if (trigger && trigger.offsetParent !== null) {
        trigger.focus();
      } else if (pk && phone.matches) {
        board.querySelector("#board-stage")?.focus();
      }
    });
  });
})();
