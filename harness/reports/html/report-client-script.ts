/**
 * The script of report.html, inlined after Chart.js: it draws the charts from
 * the JSON block #report-data. Plain ES2017 for the browser, kept as a string
 * so the compiled package carries it; no network, no eval.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`
/* Draws the report's charts from the JSON block #report-data. No network, no eval. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var style = getComputedStyle(document.documentElement);
  var fg = style.getPropertyValue('--fg').trim() || '#1d2330';
  var grid = style.getPropertyValue('--grid').trim() || 'rgba(0,0,0,0.12)';
  // One colour per variant, the same in every chart (harness/reports/palette.ts); dashes beyond the palette.
  var palette = data.palette;
  var dashes = data.dashes;
  Chart.defaults.color = fg;
  Chart.defaults.borderColor = grid;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  var groups = data.groups;
  var labels = groups.map(function (g) { return g.axis; });
  var colors = groups.map(function (g) { return palette[g.variantIndex % palette.length]; });
  var dashOf = function (g) { return dashes[Math.floor(g.variantIndex / palette.length) % dashes.length]; };
  var fills = colors;
  var outlines = groups.map(function (g, i) { return g.isBaseline ? fg : colors[i]; });
  var outlineWidths = groups.map(function (g) { return g.isBaseline ? 3 : 1; });

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    config.options = config.options || {};
    config.options.responsive = true;
    return new Chart(canvas, config);
  }

  // Confidence-interval whiskers for bar datasets carrying ci: [[low, high], ...].
  var whiskers = {
    id: 'whiskers',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var y = chart.scales.y;
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.ci) return;
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          var ci = ds.ci[j];
          if (!ci || ci[0] === null || ci[1] === null) return;
          var top = y.getPixelForValue(ci[1]);
          var bottom = y.getPixelForValue(ci[0]);
          ctx.save();
          ctx.strokeStyle = fg;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - 6, top); ctx.lineTo(bar.x + 6, top);
          ctx.moveTo(bar.x - 6, bottom); ctx.lineTo(bar.x + 6, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };

  // Dashed horizontal reference lines: options.plugins.refLines = [{ value, label }].
  var refLines = {
    id: 'refLines',
    afterDatasetsDraw: function (chart, args, options) {
      if (!options || !options.lines) return;
      var ctx = chart.ctx;
      var area = chart.chartArea;
      options.lines.forEach(function (line) {
        var py = chart.scales.y.getPixelForValue(line.value);
        ctx.save();
        ctx.strokeStyle = fg;
        ctx.globalAlpha = 0.55;
        ctx.setLineDash([4, 4]);
        ctx.beginPath(); ctx.moveTo(area.left, py); ctx.lineTo(area.right, py); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = fg;
        ctx.font = '11px system-ui, sans-serif';
        ctx.fillText(line.label, area.right - ctx.measureText(line.label).width - 4, py - 3);
        ctx.restore();
      });
    }
  };

  function ciBar(id, key, scale, yTitle) {
    var mean = groups.map(function (g) { return g[key].mean === null ? null : g[key].mean * scale; });
    var ci = groups.map(function (g) { return g[key].lower === null ? null : [g[key].lower * scale, g[key].upper * scale]; });
    return draw(id, {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: yTitle, data: mean, ci: ci, backgroundColor: fills, borderColor: outlines, borderWidth: outlineWidths }] },
      options: {
        plugins: { legend: { display: false }, refLines: { lines: key === 'batchingRate' ? data.bandLines : [] } },
        scales: { x: { ticks: { autoSkip: false, maxRotation: 60 } }, y: { beginAtZero: true, title: { display: true, text: yTitle }, max: key === 'batchingRate' ? 100 : undefined } }
      },
      plugins: [whiskers, refLines]
    });
  }

  ciBar('chart-turns', 'turns', 1, 'turns (mean, 95% CI)');
  ciBar('chart-batching', 'batchingRate', 100, 'batching rate, %');
  ciBar('chart-cost', 'cost', 1, 'USD per session');

  var sizes = data.batchSizeLabels;
  // Batch sizes are an order, not variants: a blue ramp from light (1 call) to dark (5+), apart from the variant colours.
  var ramp = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
  draw('chart-tools-per-turn', {
    type: 'bar',
    data: {
      labels: labels,
      datasets: sizes.map(function (label, k) {
        return { label: label, data: groups.map(function (g) { return g.batchShares[k] * 100; }), backgroundColor: ramp[k % ramp.length], stack: 'sizes' };
      })
    },
    options: {
      plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + c.parsed.y.toFixed(1) + '%'; } } } },
      scales: { x: { stacked: true, ticks: { autoSkip: false, maxRotation: 60 } }, y: { stacked: true, max: 100, title: { display: true, text: '% of tool-calling turns' } } }
    }
  });

  // A curve's data ends at the last turn where it still changes: after that every session has finished.
  function used(curve) {
    var n = curve.length;
    while (n > 1 && curve[n - 1] === curve[n - 2]) n -= 1;
    return n;
  }
  var tokenCanvases = [].slice.call(document.querySelectorAll('canvas[id^="chart-tokens"]'));
  tokenCanvases.forEach(function (canvas) {
    var only = canvas.getAttribute('data-provider');
    var members = groups.filter(function (g) { return only === null || String(g.providerIndex) === only; });
    var longest = members.reduce(function (n, g) { return Math.max(n, used(g.tokenCurve)); }, data.optimalCurve ? used(data.optimalCurve) : 0);
    var turnLabels = [];
    for (var k = 1; k <= longest; k++) turnLabels.push(String(k));
    // One chart for every provider (six lines at most): the variant's colour, and a dash per provider;
    // with a single variant, a colour per provider. One chart per provider: the variant's colour alone.
    var variantCount = groups.reduce(function (n, g) { return Math.max(n, g.variantIndex + 1); }, 0);
    var curves = members.map(function (g) {
      var colour = only === null && variantCount === 1 ? palette[g.providerIndex % palette.length] : palette[g.variantIndex % palette.length];
      var dash = only === null && variantCount > 1 ? dashes[g.providerIndex % dashes.length] : dashOf(g);
      return { label: only === null ? g.axis.join(' · ') : g.variant, data: g.tokenCurve.slice(0, longest), borderColor: colour, backgroundColor: colour, borderDash: dash, borderWidth: g.isBaseline ? 3 : 1.75, pointRadius: 2, tension: 0.15 };
    });
    if (data.optimalCurve) {
      curves.push({ label: 'optimal policy (reference)', data: data.optimalCurve.slice(0, longest), borderColor: fg, backgroundColor: fg, borderDash: [6, 4], borderWidth: 2.5, pointRadius: 0 });
    }
    draw(canvas.id, {
      type: 'line',
      data: { labels: turnLabels, datasets: curves },
      options: {
        scales: { x: { title: { display: true, text: 'after turn k' } }, y: { beginAtZero: true, title: { display: true, text: 'input tokens so far (mean)' } } },
        plugins: { legend: { position: curves.length > 8 ? 'right' : 'top', labels: { boxWidth: 10, font: { size: 11 } } } }
      }
    });
  });

  // Printing: open every drill-down so the paper copy holds it.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
  document.documentElement.setAttribute('data-charts', 'drawn');
})();
`;
