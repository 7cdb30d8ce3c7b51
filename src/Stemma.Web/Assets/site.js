// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // The stories sort menu applies at once.
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) { select.form.submit(); } });
  });

  // Copy-tree labels are fitted on the server from estimated glyph widths; where this browser's font is wider still,
  // shorten the label with "…" until it fits its box (the full id and title stay in the box's tooltip).
  function fitTreeLabels() {
    document.querySelectorAll("svg.lineage .node").forEach(function (node) {
      var rect = node.querySelector("rect");
      if (!rect || rect.getBBox().width === 0) { return; }
      var room = rect.getBBox().width - 16;
      node.querySelectorAll("text").forEach(function (text) {
        var full = text.textContent;
        var length = full.length;
        while (length > 1 && text.getComputedTextLength() > room) {
          length--;
          text.textContent = full.slice(0, length).trimEnd() + "\u2026";
        }
      });
    });
  }
  fitTreeLabels();
  window.addEventListener("resize", fitTreeLabels);

  // On the compare page, pointing at a shared passage outlines its row on both sides.
  document.querySelectorAll(".compare-row[data-passage]").forEach(function (row) {
    row.addEventListener("mouseenter", function () { row.classList.add("active"); });
    row.addEventListener("mouseleave", function () { row.classList.remove("active"); });
  });
})();
