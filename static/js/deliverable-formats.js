// Deliverable rows offer only the formats the chosen channel's platform publishes
// (no Reel on TikTok). The channel select carries the allowed formats per channel
// (data-channel-formats); the server refuses a mismatch whatever this script does.
document.addEventListener("DOMContentLoaded", () => {
  function formatSelectFor(channelSelect) {
    const name = channelSelect.name.replace(/-channel$/, "-format");
    return channelSelect.form.querySelector(`select[name="${name}"]`);
  }
  function fit(channelSelect) {
    const formatSelect = formatSelectFor(channelSelect);
    if (!formatSelect) {
      return;
    }
    const allowed = JSON.parse(channelSelect.getAttribute("data-channel-formats"))[
      channelSelect.value
    ];
    for (const option of formatSelect.options) {
      const off = Boolean(allowed) && !allowed.includes(option.value);
      option.disabled = off;
      option.hidden = off;
    }
    if (allowed && !allowed.includes(formatSelect.value)) {
      formatSelect.value = allowed[0];
    }
  }
  document.querySelectorAll("select[data-channel-formats]").forEach(fit);
  document.body.addEventListener("change", (event) => {
    if (event.target.matches("select[data-channel-formats]")) {
      fit(event.target);
    }
  });
  document.body.addEventListener("focusin", (event) => {
    if (event.target.matches('select[name$="-format"]')) {
      const name = event.target.name.replace(/-format$/, "-channel");
      const channelSelect = event.target.form.querySelector(`select[name="${name}"]`);
      if (channelSelect && channelSelect.hasAttribute("data-channel-formats")) {
        fit(channelSelect);
      }
    }
  });
});
