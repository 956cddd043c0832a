/* The workers' congress pages: the "Print the code" button of the page that shows an electronic
   ballot's closing code once (<button data-print>). No inline script: the Content-Security-Policy
   allows only files like this one. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // The button is shown only where this script runs (without it the browser's own print works).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = false; });
  });
})();
