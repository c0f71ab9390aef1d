// Bar charts drawn from data the server embeds with json_script (no inline JS: CSP).
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") {
    return;
  }
  document.querySelectorAll("canvas[data-chart-source]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chartSource);
    if (!source) {
      return;
    }
    const data = JSON.parse(source.textContent);
    const money = new Intl.NumberFormat(document.documentElement.lang || "en", {
      style: "currency",
      currency: data.currency,
    });
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.values.map(Number), backgroundColor: "#5b3cc4" }],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => money.format(item.raw) } },
        },
        scales: { x: { ticks: { callback: (value) => money.format(value) } } },
      },
    });
  });
});
