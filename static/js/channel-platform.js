// Preselects a channel's platform from a pasted profile link. The handle input carries
// the platforms' hosts (data-platform-hosts); the server infers the same when the
// platform is left on "detect", so this is only a convenience.
document.addEventListener("DOMContentLoaded", () => {
  const GUESSED = "data-platform-guessed";
  document.body.addEventListener("change", (event) => {
    if (event.target.matches('select[name$="platform"]')) {
      event.target.removeAttribute(GUESSED); // the person chose it themselves
    }
  });
  document.body.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches("input[data-platform-hosts]")) {
      return;
    }
    const scope = input.closest("[data-channel-row]") || input.form;
    const select = scope && scope.querySelector('select[name$="platform"]');
    if (!select || (select.value !== "auto" && !select.hasAttribute(GUESSED))) {
      return;
    }
    const text = input.value.trim();
    if (!text.includes("/") && !text.includes(".")) {
      return; // a bare handle says nothing about the platform
    }
    let host;
    try {
      host = new URL(text.includes("://") ? text : `https://${text}`).hostname.toLowerCase();
    } catch {
      return;
    }
    const platform = JSON.parse(input.getAttribute("data-platform-hosts"))[host];
    if (platform) {
      select.value = platform;
      select.setAttribute(GUESSED, "");
    }
  });
});
