// Searchable pickers: a text input whose HTMX search results are buttons carrying
// data-pick-id; choosing one fills the hidden id field named by data-picker.
// Without JavaScript the server resolves the typed text instead.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-picker]").forEach((input) => {
    const hidden = document.getElementById(input.getAttribute("data-picker"));
    const results = document.getElementById(input.getAttribute("aria-controls"));
    if (!hidden || !results) {
      return;
    }
    input.addEventListener("input", () => {
      hidden.value = "";
    });
    results.addEventListener("click", (event) => {
      const choice = event.target.closest("[data-pick-id]");
      if (!choice) {
        return;
      }
      hidden.value = choice.getAttribute("data-pick-id");
      input.value = choice.getAttribute("data-pick-label");
      results.replaceChildren();
      input.focus();
    });
  });
});
