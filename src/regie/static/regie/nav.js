// The menu button on small screens. Without JavaScript the menu simply stays open.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".nav-toggle");
  var nav = document.getElementById("mainnav");
  if (!button || !nav) {
    return;
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("open", !open);
  });
});
