/* Cell formatters for dash-ag-grid (see components/tables.py).
   Same rules as components/format.py: ₹ with Indian digit grouping, "11.21x", percent,
   and "—" for undefined values (null, NaN, ±Infinity). Nothing here builds HTML. */
(function () {
  "use strict";
  var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  var DASH = "\u2014";
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

  dagfuncs.hkInr = function (v, decimals) {
    if (!finite(v)) return DASH;
    var d = decimals || 0;
    var text = numberFormat(d).format(Math.abs(v));
    return (v < 0 ? "-" : "") + "\u20b9" + text;
  };
  dagfuncs.hkRatio = function (v) {
    return finite(v) ? numberFormat(2).format(v) + "x" : DASH;
  };
  dagfuncs.hkPct = function (v) {
    return finite(v) ? numberFormat(1).format(v) + "%" : DASH;
  };
  dagfuncs.hkShare = function (v) {
    return finite(v) ? numberFormat(1).format(v * 100) + "%" : DASH;
  };
  dagfuncs.hkCount = function (v) {
    return finite(v) ? numberFormat(0).format(Math.round(v)) : DASH;
  };
  dagfuncs.hkDecimal = function (v, decimals) {
    return finite(v) ? numberFormat(decimals === undefined ? 2 : decimals).format(v) : DASH;
  };
  dagfuncs.hkYesNo = function (v) {
    if (v === true) return "Yes";
    if (v === false) return "No";
    return DASH;
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
})();
