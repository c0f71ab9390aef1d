// Line chart of numbers per day, drawn from data the server embeds with json_script
// (no inline JS: CSP): <canvas data-daily-chart="id-of-json">, the JSON being
// {"days": [...], "series": [{"label": "...", "values": ["12", ...]}, ...]}.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") {
    return;
  }
  const colours = ["#5b3cc4", "#0f7b6c", "#b54708"];
  document.querySelectorAll("canvas[data-daily-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.dailyChart);
    if (!source) {
      return;
    }
    const data = JSON.parse(source.textContent);
    const count = new Intl.NumberFormat(document.documentElement.lang || "en");
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.days,
        datasets: data.series.map((series, n) => ({
          label: series.label,
          data: series.values.map(Number),
          borderColor: colours[n % colours.length],
          backgroundColor: colours[n % colours.length],
          tension: 0.2,
          pointRadius: 2,
        })),
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${count.format(item.raw)}` },
          },
        },
        scales: { y: { beginAtZero: true, ticks: { callback: (value) => count.format(value) } } },
      },
    });
    canvas.dataset.drawn = "true";
  });
});
