// 互动交流 forms: progressive enhancement only; the forms work fully without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
