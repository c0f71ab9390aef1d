// Small progressive enhancements. No inline scripts anywhere (CSP).
document.addEventListener("DOMContentLoaded", () => {
  // Forms with data-confirm ask before submitting destructive actions.
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Buttons with data-copy put that text on the clipboard and say so (data-copied).
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(() => {
      button.textContent = button.getAttribute("data-copied");
    });
  });
  // Elements with data-autosubmit submit their form on change (filters).
  document.body.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
});
