/* The breaches' heat map (ECharts, vendored), drawn from the data the server put in the page
   (<div data-heatmap="ID"> + json_script "ID"): one row per commitment, one column per period,
   each cell the workers affected, coloured by their number; a click on a cell opens its link
   (its breach, or the list of the breaches behind it). The page works without it: the same grid
   is a table under it, which this script folds away once the chart is drawn. */
(function () {
  "use strict";

  var CELL_WIDTH = 52;   // px a column at least, so that a figure fits and a finger can tap it
  var ROW_HEIGHT = 40;
  var LABELS = 180;      // px for the commitments' names

  function columnWidth(element, data) {
    return (element.clientWidth - LABELS) / Math.max(data.columns.length, 1);
  }

  function draw(element) {
    if (element.dataset.drawn || !window.echarts) return;
    var source = document.getElementById(element.dataset.heatmap);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    // Wider than a phone when there are many periods: its .scroll box scrolls, not the page.
    element.style.minWidth = (LABELS + data.columns.length * CELL_WIDTH + 16) + "px";
    element.style.height = (data.rows.length * ROW_HEIGHT + 110) + "px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 8, bottom: 48, containLabel: true },
      // Drawn in the chart, not as HTML: names are shown as text, never parsed, and no inline style is
      // needed (the Content-Security-Policy refuses the inline style attributes of ECharts' HTML tooltips).
      tooltip: {
        renderMode: "richText",
        formatter: function (item) {
          var at = item.value;
          return data.rows[at[1]] + "\n" + data.columns[at[0]] + ": " + at[2] + " " + data.affected;
        }
      },
      // Every period named under its column; slanted when the columns are too narrow for it.
      xAxis: { type: "category", data: data.columns, splitArea: { show: true },
               axisLabel: { interval: 0, rotate: columnWidth(element, data) < 64 ? 45 : 0 } },
      yAxis: { type: "category", data: data.rows, inverse: true, splitArea: { show: true },
               axisLabel: { width: LABELS - 12, overflow: "break" } },
      visualMap: { min: 0, max: Math.max(data.max, 1), orient: "horizontal", left: "center", bottom: 0,
                   itemHeight: 140, calculable: false, text: [String(data.max), "0"],
                   inRange: { color: ["#fee2e2", "#f87171", "#dc2626", "#7f1d1d"] } },
      series: [{
        type: "heatmap",
        cursor: "pointer",
        data: data.cells.map(function (cell) { return { value: cell.value, url: cell.url }; }),
        label: { show: true, color: "#fff", fontWeight: "bold", textBorderColor: "#7f1d1d", textBorderWidth: 2 },
        emphasis: { itemStyle: { borderColor: "#1d4ed8", borderWidth: 2 } }
      }]
    });
    chart.on("click", function (item) {
      if (item.data && item.data.url) window.location.assign(item.data.url);
    });
    element.dataset.drawn = "1";
    var section = element.closest("section");
    var table = section && section.querySelector("details.heatmap-table");
    if (table) table.open = false;  // the chart shows it; the table stays one click away
  }

  function drawAll() {
    document.querySelectorAll("[data-heatmap]").forEach(draw);
  }

  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-heatmap][data-drawn]").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
