// Pipeline board: one stage at a time on a phone, drag and drop between columns on a desk.
// Every move goes through the card's own "Move to…" select (an HTMX form), so dragging
// posts exactly what the keyboard path posts and the server's answer redraws the board.
(() => {
  const phone = window.matchMedia("(max-width: 767.98px)");
  let shownStage = null; // the stage picked on a phone, kept across HTMX redraws
  let focusAfterSwap = null; // the select that moved a card, focused again after the redraw

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

  function moveByDrag(event) {
    const card = event.item;
    const select = card.querySelector("select[name=stage]");
    const stage = event.to.dataset.stage;
    if (!select || event.from === event.to || !stage) return;
    select.value = stage;
    focusAfterSwap = select.id;
    select.dispatchEvent(new Event("change", { bubbles: true })); // hx-trigger="change"
  }

  function enableDragging(board) {
    const columns = board.querySelector(".board[data-board-sortable]");
    if (!columns || phone.matches || typeof Sortable === "undefined") return;
    columns.querySelectorAll(".board-cards").forEach((list) => {
      Sortable.create(list, {
        group: "board",
        draggable: ".board-card",
        filter: "select, option, label, a",
        preventOnFilter: false, // the select and the link keep working
        sort: false, // order within a column is by name
        forceFallback: true, // mouse events: the same in every browser, and testable
        fallbackOnBody: true,
        ghostClass: "board-card-ghost",
        chosenClass: "board-card-chosen",
        onEnd: moveByDrag,
      });
    });
  }

  function setUp(board) {
    showStage(board);
    enableDragging(board);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const board = document.getElementById("board");
    if (!board) return;
    setUp(board);
    board.addEventListener("change", (event) => {
      if (event.target.id === "board-stage") {
        shownStage = event.target.value;
        showStage(board);
      } else if (event.target.name === "stage") {
        focusAfterSwap = event.target.id;
      }
    });
    // After settling, not swapping: while settling htmx puts back the new attributes of
    // elements that keep their id, which would drop the classes set here.
    document.body.addEventListener("htmx:afterSettle", (event) => {
      if (event.detail.target !== board) return;
      setUp(board);
      // Keep the keyboard where it was: on the moved card's select if it is still shown,
      // else on the stage picker (a phone shows one stage; the card left it).
      const select = focusAfterSwap && document.getElementById(focusAfterSwap);
      focusAfterSwap = null;
      if (select && select.offsetParent !== null) {
        select.focus();
      } else if (phone.matches) {
        board.querySelector("#board-stage")?.focus();
      }
    });
  });
})();
