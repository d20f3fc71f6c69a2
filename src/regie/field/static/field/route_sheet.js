// The route sheet's print button: shown only when a script can run (the <noscript> text
// tells the others to use the browser's own Print).
(function () {
  var button = document.getElementById("print-sheet");
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
})();
