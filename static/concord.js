/* Concord's few lines of script. Every page works without it; it adds:
   - charts of the gap between the sides (ECharts, vendored), drawn from data the server put in
     the page (<div class="chart" data-chart="ID"> + json_script "ID"), redrawn after htmx swaps;
   - drafts kept on the device for text saved as it is typed (<textarea data-draft-key="…">),
     offered back when the page reloads with text the server never got;
   - refusals shown where they belong: inside [data-swap-refusals], htmx swaps a 400/403/409
     answer (a service's refusal, rendered by the server) instead of dropping it;
   - the language selector submitted as soon as a language is picked (select[data-submit-on-change]).
   No inline script anywhere: the Content-Security-Policy (config/settings.py) allows only these files. */
(function () {
  "use strict";

  /* --- htmx under the Content-Security-Policy ------------------------------------------------- */

  // No <style> of htmx's own (its indicator rules are in concord.css) and no eval of attributes
  // (hx-on, js: values, trigger filters), the policy refuses both. base.html's htmx-config meta
  // says so too, but htmx reads only the first such meta, and a page may bring its own: set here,
  // before the document is ready (this script is deferred), when htmx merges the meta and adds its styles.
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
  }

  /* --- charts -------------------------------------------------------------------------------- */

  var echartsLoading = null;

  function withEcharts(done) {
    if (window.echarts) return done();
    // A fragment swapped into a page that did not load ECharts names where it lives.
    var holder = document.querySelector("[data-echarts-src]");
    if (!holder) return;
    if (!echartsLoading) {
      echartsLoading = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = holder.dataset.echartsSrc;
        script.onload = resolve;
        document.head.appendChild(script);
      });
    }
    echartsLoading.then(done);
  }

  function markLine(value, label, color) {
    return { symbol: "none", silent: true, label: { formatter: label, position: "insideEndTop", color: color },
             lineStyle: { color: color, type: "dashed", width: 2 }, data: [{ yAxis: value }] };
  }

  // A y range holding every position and marked line, a little beyond them, on round numbers
  // (the agreed or current value would otherwise fall outside the axis and not be drawn).
  function niceRange(values) {
    if (!values.length) return null;
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var span = high - low || Math.max(Math.abs(high) * 0.1, 1);
    var step = Math.pow(10, Math.floor(Math.log10(span)));
    if (span / step < 3) step /= 2;
    function clean(x) { return parseFloat(x.toPrecision(12)); }
    return { min: clean(Math.floor((low - span * 0.15) / step) * step), max: clean(Math.ceil((high + span * 0.15) / step) * step) };
  }

  function drawGapChart(element) {
    if (element.dataset.drawn) return;
    var source = document.getElementById(element.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var unit = data.unit || "";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var series = data.series.map(function (line) {
      return { name: line.name, type: "line", data: line.values, connectNulls: true, showSymbol: true,
               symbolSize: 8, lineStyle: { width: 3, color: line.color }, itemStyle: { color: line.color } };
    });
    var marks = [];
    if (data.agreed !== null && data.agreed !== undefined) {
      marks.push({ value: data.agreed, label: data.agreed_label, color: "#15803d" });
    }
    if (data.baseline !== null && data.baseline !== undefined) {
      marks.push({ value: data.baseline, label: data.baseline_label, color: "#52606d" });
    }
    marks.forEach(function (mark) {
      series.push({ name: mark.label, type: "line", data: [], markLine: markLine(mark.value, mark.label, mark.color) });
    });
    var values = [];
    data.series.forEach(function (line) { values = values.concat(line.values); });
    marks.forEach(function (mark) { values.push(mark.value); });
    var range = niceRange(values.filter(function (v) { return v !== null && v !== undefined; }));
    chart.setOption({
      animation: false,
      // The legend on the first line, the axis's unit below it, then the plot: nothing overlaps.
      grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
      legend: { top: 0, left: "center", data: data.series.map(function (line) { return line.name; }) },
      // Drawn in the chart (richText), not as HTML, which would need inline styles (Content-Security-Policy).
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " " + unit; } },
      xAxis: { type: "category", data: data.rounds, boundaryGap: true },
      yAxis: { type: "value", name: unit, nameGap: 14, scale: true, nameTextStyle: { align: "left" },
               min: range ? range.min : null, max: range ? range.max : null },
      series: series
    });
    element.dataset.drawn = "1";
  }

  function drawAll(root) {
    var charts = (root || document).querySelectorAll("[data-chart]");
    if (!charts.length) return;
    withEcharts(function () { charts.forEach(drawGapChart); });
  }

  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart][data-drawn]").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    });
  });

  /* --- drafts kept on the device --------------------------------------------------------------- */

  var PREFIX = "concord-draft:";

  function readDraft(key) {
    try { return JSON.parse(window.localStorage.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
  }
  function writeDraft(key, text) {
    try { window.localStorage.setItem(PREFIX + key, JSON.stringify({ text: text, at: Date.now() })); } catch (e) { /* full or off */ }
  }
  function dropDraft(key) {
    try { window.localStorage.removeItem(PREFIX + key); } catch (e) { /* off */ }
  }

  function setupDraft(area) {
    if (area.dataset.draftReady) return;
    area.dataset.draftReady = "1";
    var key = area.dataset.draftKey;
    area.dataset.saved = area.value;  // what the server has
    var draft = readDraft(key);
    var offer = document.querySelector('[data-draft-offer="' + key + '"]');
    if (draft && draft.text !== area.value && draft.text.trim() && offer) {
      offer.hidden = false;
      offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
        area.value = draft.text;
        offer.hidden = true;
        area.dispatchEvent(new Event("change", { bubbles: true }));  // htmx sends it now
      });
      offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
        dropDraft(key);
        offer.hidden = true;
      });
    } else if (draft) {
      dropDraft(key);
    }
    area.addEventListener("input", function () {
      if (area.value === area.dataset.saved) dropDraft(key); else writeDraft(key, area.value);
    });
  }

  function setupAll(root) {
    (root || document).querySelectorAll("textarea[data-draft-key]").forEach(setupDraft);
    (root || document).querySelectorAll("[data-draft-clear]").forEach(function (element) {
      element.dataset.draftClear.split(/\s+/).forEach(function (key) { if (key) dropDraft(key); });
    });
  }

  function draftArea(event) {
    var element = event.detail && event.detail.elt;
    return element && element.matches && element.matches("textarea[data-draft-key]") ? element : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var area = draftArea(event);
    if (area) area.dataset.sending = area.value;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var area = draftArea(event);
    if (!area) return;
    if (event.detail.successful) {
      area.dataset.saved = area.dataset.sending;
      var draft = readDraft(area.dataset.draftKey);
      if (draft && draft.text === area.dataset.sending) dropDraft(area.dataset.draftKey);
      area.dispatchEvent(new CustomEvent("concord:saved", { bubbles: true }));
    } else if (!event.detail.xhr || !event.detail.xhr.status) {
      // No answer at all: the connection dropped. The draft stays on the device.
      var status = document.getElementById(area.dataset.status);
      if (status && area.dataset.unsavedText) {
        status.className = "problem";
        status.textContent = area.dataset.unsavedText;
      }
      area.dispatchEvent(new CustomEvent("concord:unsaved", { bubbles: true }));
    }
  });

  // Back online: send what did not get through.
  window.addEventListener("online", function () {
    document.querySelectorAll("textarea[data-draft-key]").forEach(function (area) {
      if (area.value !== area.dataset.saved) area.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });

  // A form that must not go before the text on the page is saved (signing the minutes):
  // save first, then submit; keep the page if the save fails.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-after-saves]") || !window.htmx) return;
    var pending = Array.prototype.filter.call(document.querySelectorAll("textarea[data-draft-key]"), function (area) {
      return area.value !== area.dataset.saved;
    });
    if (!pending.length) return;
    event.preventDefault();
    var action = form.getAttribute("action");
    var left = pending.length;
    pending.forEach(function (area) {
      area.addEventListener("concord:saved", function () {
        left -= 1;
        if (left) return;
        // The answer to the save redrew the part holding the form: submit the one now on the page.
        window.setTimeout(function () {
          var again = document.querySelector('form[data-after-saves][action="' + action + '"]');
          if (again) again.submit();
        }, 50);
      }, { once: true });
      area.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });

  /* --- refusals -------------------------------------------------------------------------------- */

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var element = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ((status === 400 || status === 403 || status === 409) && element && element.closest("[data-swap-refusals]")) {
      event.detail.shouldSwap = true;  // still an error: afterRequest reports it unsuccessful
    }
  });

  /* --- forms that go as soon as a choice is made (<select data-submit-on-change>) ---------------- */

  // The language selector: no inline onchange (the Content-Security-Policy refuses it).
  document.addEventListener("change", function (event) {
    var element = event.target;
    if (element.matches && element.matches("select[data-submit-on-change]") && element.form) element.form.submit();
  });

  /* --- wiring ---------------------------------------------------------------------------------- */

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); setupAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); setupAll(event.target); });
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var element = event.target;
    if (window.echarts && element.matches && element.matches("[data-chart][data-drawn]")) window.echarts.dispose(element);
  });
})();
