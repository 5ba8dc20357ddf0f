/* Date axes whose labels would run together in a narrow plot area (a phone, a chart with two axis
   titles) keep every other tick until they fit. The server sets at most five evenly spaced ticks
   (components/figures.py, _date_axis) but cannot know the width a chart gets; the labels' drawn
   width decides here. Only axes of ticks the server chose (tickmode "array", type "date"). */
(function () {
  "use strict";
  var GAP = 4; // px that must separate two labels

  function crowded(graph) {
    var boxes = Array.prototype.map
      .call(graph.querySelectorAll(".xaxislayer-above .xtick text"), function (text) {
        return text.getBoundingClientRect();
      })
      .sort(function (a, b) {
        return a.left - b.left;
      });
    return boxes.some(function (box, i) {
      return i > 0 && boxes[i - 1].right + GAP > box.left;
    });
  }

  // Every other tick from the first; each label's first line kept, its year put back on the first
  // tick and wherever the year changes (a dropped tick may have carried it).
  function thinned(axis) {
    var vals = [];
    var texts = [];
    var year = null;
    for (var i = 0; i < axis.tickvals.length; i += 2) {
      var value = String(axis.tickvals[i]);
      var label = String(axis.ticktext[i]).split("<br>")[0];
      var tickYear = value.slice(0, 4);
      vals.push(value);
      texts.push(tickYear === year ? label : label + "<br>" + tickYear);
      year = tickYear;
    }
    return { "xaxis.tickvals": vals, "xaxis.ticktext": texts };
  }

  function fit(graph) {
    var axis = graph.layout && graph.layout.xaxis;
    if (!axis || axis.type !== "date" || axis.tickmode !== "array" || !axis.tickvals || axis.tickvals.length < 2) {
      return;
    }
    if (crowded(graph)) {
      window.Plotly.relayout(graph, thinned(axis)); // draws again: fit runs until the labels fit
    }
  }

  function watch(graph) {
    if (graph.hkDateTicks || typeof graph.on !== "function") {
      return;
    }
    graph.hkDateTicks = true;
    graph.on("plotly_afterplot", function () {
      fit(graph);
    });
    fit(graph);
  }

  new MutationObserver(function () {
    Array.prototype.forEach.call(document.querySelectorAll(".js-plotly-plot"), watch);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
