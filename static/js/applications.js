// 依申请公开 form: progressive enhancement only; the form works fully without this file.
(function () {
  "use strict";
  var form = document.getElementById("apply-form");
  if (form) {
    // Show only the fields of the chosen applicant type (both groups are shown without scripts).
    var radios = form.querySelectorAll("input[name=applicant_type]");
    var groups = form.querySelectorAll(".applicant-group");
    var update = function () {
      var chosen = form.querySelector("input[name=applicant_type]:checked");
      var value = chosen ? chosen.value : "person";
      groups.forEach(function (group) {
        group.hidden = group.getAttribute("data-applicant") !== value;
      });
    };
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();

    // A filter box above the unit list, so the target unit can be found by typing.
    var select = document.getElementById("id_unit");
    if (select) {
      var input = document.createElement("input");
      input.type = "search";
      input.id = "unit-filter";
      input.className = "unit-filter";
      input.placeholder = "输入单位名称筛选";
      input.setAttribute("aria-label", "筛选受理单位");
      input.setAttribute("aria-controls", "id_unit");
      select.parentNode.insertBefore(input, select);
      var options = Array.prototype.slice.call(select.options);
      input.addEventListener("input", function () {
        var term = input.value.trim();
        options.forEach(function (option) {
          option.hidden = option.value !== "" && term !== "" && option.text.indexOf(term) === -1;
        });
      });
    }

    // Move focus to the error summary so screen-reader users hear what went wrong.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }
})();
