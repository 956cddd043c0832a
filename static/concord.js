/* Concord's few lines of script: charts of the gap between the sides (ECharts, vendored),
   drawn from data the server put in the page, and redrawn when htmx swaps a part in. */
(function () {
  "use strict";

  function drawGapChart(element) {
    if (!window.echarts || element.dataset.drawn) return;
    var source = document.getElementById(element.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var series = data.series.map(function (line) {
      return { name: line.name, type: "line", data: line.values, connectNulls: true, symbolSize: 8,
               lineStyle: { width: 3 }, itemStyle: { color: line.color } };
    });
    if (data.agreed !== null && data.agreed !== undefined) {
      series.push({ name: data.agreed_label, type: "line", data: [],
                    markLine: { symbol: "none", label: { formatter: data.agreed_label },
                                lineStyle: { color: "#15803d", type: "dashed" }, data: [{ yAxis: data.agreed }] } });
    }
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      legend: { top: 0, data: data.series.map(function (line) { return line.name; }) },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.rounds, boundaryGap: false },
      yAxis: { type: "value", name: data.unit, scale: true, nameTextStyle: { align: "left" } },
      series: series
    });
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(drawGapChart);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
