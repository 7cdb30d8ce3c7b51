// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // The stories sort menu applies at once.
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) { select.form.submit(); } });
  });

  // On the compare page, pointing at a shared passage outlines its row on both sides.
  document.querySelectorAll(".compare-row[data-passage]").forEach(function (row) {
    row.addEventListener("mouseenter", function () { row.classList.add("active"); });
    row.addEventListener("mouseleave", function () { row.classList.remove("active"); });
  });
})();
