/* Cell formatters for dash-ag-grid (see components/tables.py).
   Same rules as metrics/format.py: ₹ with Indian digit grouping, "11.21x", percent,
   and "—" for undefined values (null, NaN, ±Infinity). Nothing here builds HTML. */
(function () {
  "use strict";
  var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  var DASH = "\u2014";
  var NEGATIVE = "-\u2060"; // metrics.format.NEGATIVE: a negative amount never breaks after its sign
  var cache = {};

  function finite(v) {
    return typeof v === "number" && isFinite(v);
  }
  function numberFormat(decimals) {
    var key = "n" + decimals;
    if (!cache[key]) {
      cache[key] = new Intl.NumberFormat("en-IN", {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
      });
    }
    return cache[key];
  }

  // The number as shown, by the server's one rule (metrics.format.half_away): its shortest decimal
  // (String(v), Python's str alike) rounded half away from zero, so a table and the PDF agree on
  // 1.525 -> 1.53 and 35.25 -> 35.3 (v * 10^d is another binary number: 0.015 * 100 is 1.5 where
  // 0.015 lies below it). A value that rounds to zero is +0, so no "-₹0.00" or "-0.0%".
  function shown(v, decimals) {
    var r = halfAway(Math.abs(v), decimals);
    return r === 0 ? 0 : v < 0 ? -r : r;
  }
  // On the digits themselves: parsing a shifted decimal ("0.44999999999999996e1") rounds it again.
  function halfAway(a, decimals) {
    var text = String(a);
    if (text.indexOf("e") >= 0) return a < 1 ? Number(a.toFixed(decimals)) : a; // below 1e-6, above 1e21
    var parts = text.split("."), fraction = parts[1] || "";
    if (fraction.length <= decimals) return a;
    var kept = Number(parts[0] + fraction.slice(0, decimals)) + (fraction.charAt(decimals) >= "5" ? 1 : 0);
    return Number(kept + "e-" + decimals);
  }
  function lakhCrore(v, keepZeros) {
    // Indian units as metrics.format.followers: 86 L, 4.85 L, 12.5 Cr; full grouping below a lakh;
    // `keepZeros`: two decimals always, as inr_compact (₹1.10 L).
    var a = Math.abs(v), whole = shown(a, 0), sign = v < 0 && whole > 0 ? "-" : "";
    var trim = keepZeros ? numberFormat(2) : new Intl.NumberFormat("en-IN", { maximumFractionDigits: 2 });
    if (a >= 1e7 || shown(a / 1e5, 2) >= 100) return sign + trim.format(shown(a / 1e7, 2)) + "\u00a0Cr";
    if (whole >= 1e5) return sign + trim.format(shown(a / 1e5, 2)) + "\u00a0L";
    return sign + numberFormat(0).format(whole);
  }
  // One format per column (tester t1, s18): a grid's column of counts reads in the unit and
  // precision its values need together, not each cell its own ("77,012" beside "19.11 L" and
  // "2.9 L"; "2,544.7" beside "2,727.16"). The column is the grid's rowData, so filtering, sorting
  // or paging never changes a value's text; without a grid (params absent) a value reads alone.
  var columns = new WeakMap();
  function columnOf(params) {
    var api = params && params.api, field = params && params.colDef && params.colDef.field;
    var rows = api && field ? api.getGridOption("rowData") : null;
    if (!rows || !rows.length) return null;
    var fields = columns.get(rows);
    if (!fields) columns.set(rows, (fields = {}));
    if (!fields[field]) {
      fields[field] = rows
        .map(function (row) {
          return row[field];
        })
        .filter(finite);
    }
    return fields[field];
  }
  // The unit of a column of follower counts: that of its largest value as lakhCrore picks it
  // (crore, lakh, or in full below a lakh), every value then in it with two decimals; one that would
  // read 0.00 in it in full (0, 350), as metrics.format.followers_column.
  function followersIn(v, values) {
    var top = Math.max.apply(null, values.map(Math.abs));
    var unit = top >= 1e7 || shown(top / 1e5, 2) >= 100 ? 1e7 : shown(top, 0) >= 1e5 ? 1e5 : 1;
    if (unit === 1) return lakhCrore(v);
    var r = shown(Math.abs(v) / unit, 2);
    if (r === 0) return lakhCrore(v);
    return (v < 0 && r > 0 ? "-" : "") + numberFormat(2).format(r) + (unit === 1e7 ? "\u00a0Cr" : "\u00a0L");
  }
  // A column of counts with an estimated (not whole) value: every value with two decimals.
  function countsWhole(values) {
    return values.every(function (x) {
      var r = shown(x, 2);
      return r === Math.round(r);
    });
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  dagfuncs.hkInr = function (v, decimals) {
    if (!finite(v)) return DASH;
    var d = decimals || 0;
    var r = shown(v, d);
    return (r < 0 ? NEGATIVE : "") + "\u20b9" + numberFormat(d).format(Math.abs(r));
  };
  dagfuncs.hkInrSmall = function (v) {
    // As metrics.format.inr_small: two significant digits below ₹1 (up to 4 decimals), paise below ₹100.
    if (!finite(v)) return DASH;
    var a = Math.abs(v);
    if (a >= 1e5) return (v < 0 ? NEGATIVE : "") + "\u20b9" + lakhCrore(a, true);
    var d = a >= 100 ? 0 : a >= 1 || a === 0 ? 2 : Math.min(4, Math.max(2, 1 - Math.floor(Math.log10(a))));
    return dagfuncs.hkInr(v, d);
  };
  dagfuncs.hkRatio = function (v, ruled) {
    // `ruled`: the row's text of this value by a rule of the server's (the poor flag's digits,
    // components/ranking_grid.ROAS_TEXT), shown as sent where there is one
    if (ruled) return ruled;
    return finite(v) ? numberFormat(2).format(shown(v, 2)) + "x" : DASH;
  };
  dagfuncs.hkPct = function (v) {
    return finite(v) ? numberFormat(1).format(shown(v, 1)) + "%" : DASH;
  };
  dagfuncs.hkShare = function (v) {
    return finite(v) ? numberFormat(1).format(shown(v * 100, 1)) + "%" : DASH;
  };
  dagfuncs.hkCount = function (v, params) {
    // As metrics.format.count: an estimated (not whole) count keeps up to two decimals; in a column
    // holding one, every value has two.
    if (!finite(v)) return DASH;
    var values = columnOf(params);
    if (values && !countsWhole(values)) return numberFormat(2).format(shown(v, 2));
    var r = shown(v, 2);
    if (r === Math.round(r)) return numberFormat(0).format(shown(v, 0));
    return numberFormat(2).format(r).replace(/0$/, "");
  };
  dagfuncs.hkFollowers = function (v, params) {
    if (!finite(v)) return DASH;
    var values = columnOf(params);
    return values ? followersIn(v, values) : lakhCrore(v);
  };
  dagfuncs.hkDecimal = function (v, decimals) {
    var d = decimals === undefined ? 2 : decimals;
    return finite(v) ? numberFormat(d).format(shown(v, d)) : DASH;
  };
  dagfuncs.hkDate = function (v) {
    // ISO date text (YYYY-MM-DD…) as "5 Jan 2025", the one date format (metrics.format.date).
    var m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})/.exec(v) : null;
    if (!m) return v === null || v === undefined || v === "" ? DASH : String(v);
    return parseInt(m[3], 10) + " " + MONTHS[parseInt(m[2], 10) - 1] + " " + m[1];
  };
  dagfuncs.hkYesNo = function (v) {
    if (v === true) return "Yes";
    if (v === false) return "No";
    return DASH;
  };
  dagfuncs.hkChange = function (v) {
    // As metrics.format.change: a signed relative change, "+12.3%", "-4.0%", "0.0%", "—" (the same
    // hyphen-minus as every other negative number).
    if (!finite(v)) return DASH;
    var r = shown(v * 100, 1);
    return (r > 0 ? "+" : r < 0 ? "-" : "") + numberFormat(1).format(Math.abs(r)) + "%";
  };
  // A change is good when it moves the way the figure is better (catalogue's higher_is_better).
  // A change shown as "0.0%" (float noise: a ROAS equal up to 1e-16) is neutral.
  dagfuncs.hkChangeTone = function (v, higherIsBetter, tone) {
    if (!finite(v) || shown(v * 100, 1) === 0) return false;
    return (v > 0) === higherIsBetter ? tone === "good" : tone === "bad";
  };
  // The tooltip of a ratio cell: why it reads "—" (or a cost ₹0.00), as the server put it in the
  // row (components.tables.WHY_FIELD, from metrics.catalogue.cell_reason); none otherwise.
  dagfuncs.hkCellWhy = function (params) {
    var why = params.data && params.data.hk_why;
    return (why && why[params.colDef.field]) || undefined;
  };
  dagfuncs.hkGridThemeParams = function () {
    return {
      fontFamily: "inherit",
      fontSize: 13,
      headerFontSize: 12,
      headerFontWeight: 600,
      accentColor: "#0b5cab",
      borderRadius: 6,
      wrapperBorderRadius: 8,
      spacing: 6,
      headerBackgroundColor: "#f3f5f8",
      oddRowBackgroundColor: "#fbfcfd",
    };
  };

  // The grids' "no rows" overlay (components/tables.py NO_ROWS): AG Grid's own announced its text in
  // the grid's screen-reader status, where it stayed beside the rows a callback brought next ("No
  // rows for these filters. 1 to 25 of 38. Page 1 of 2"); this one's text is there only while shown.
  var dagcomponents = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
  dagcomponents.NoRowsOverlay = function (props) {
    return React.createElement("span", { className: "ag-overlay-no-rows-center" }, props.text);
  };
})();
