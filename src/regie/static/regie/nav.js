// The menu button on small screens, and closing the account menu. Without JavaScript the
// menu simply stays open and the account menu (a <details>) opens and closes by itself.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".nav-toggle");
  var nav = document.getElementById("mainnav");
  if (button && nav) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }
  var account = document.querySelector(".account-menu");
  if (!account) {
    return;
  }
  document.addEventListener("click", function (event) {
    if (account.open && !account.contains(event.target)) {
      account.open = false;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && account.open) {
      account.open = false;
      account.querySelector("summary").focus();
    }
  });
});

// A table too wide for the screen scrolls inside its frame: make that frame reachable with
// the keyboard, or its hidden columns are out of reach without a mouse.
window.addEventListener("load", function () {
  document.querySelectorAll(".table-wrap").forEach(function (frame) {
    if (frame.scrollWidth > frame.clientWidth && !frame.hasAttribute("tabindex")) {
      frame.setAttribute("tabindex", "0");
    }
  });
});
