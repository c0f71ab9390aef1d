// "Add another" for Django formsets: clones the empty form kept in a <template>.
// Without JavaScript the button stays hidden and saving adds a fresh empty row.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-formset]").forEach((fieldset) => {
    const prefix = fieldset.getAttribute("data-formset");
    const total = fieldset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const rows = fieldset.querySelector("[data-formset-rows]");
    const empty = fieldset.querySelector("template[data-formset-empty]");
    const button = fieldset.querySelector("[data-formset-add]");
    if (!total || !rows || !empty || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      const html = empty.innerHTML.replaceAll("__prefix__", String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
  });
});
