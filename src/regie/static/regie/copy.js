// "Copy" buttons next to commands and addresses. Each button names the element it copies
// (data-copy="element id") and stays hidden without JavaScript: the text itself is always
// there to select by hand.
document.addEventListener("DOMContentLoaded", function () {
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var label = button.textContent;
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.replace(/\s+$/, "");
      copyText(text).then(
        function () { say(button.getAttribute("data-copied"), true); },
        function () { say(button.getAttribute("data-copy-failed"), false); }
      );
    });

    function say(message, done) {
      button.textContent = done ? message : label;
      if (status) {
        status.textContent = message;
      }
      if (!done) {
        selectText(source);
      }
      window.setTimeout(function () {
        button.textContent = label;
        if (status) {
          status.textContent = "";
        }
      }, 2000);
    }
  });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on the local network has no Clipboard API: fall back to a selection.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      document.body.removeChild(area);
      if (copied) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
});
