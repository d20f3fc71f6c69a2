// Searchable pickers (core/pickers.py): a <select data-picker="/choices/kind/"> becomes a
// combobox, the ARIA 1.2 pattern: a text input, a list box of the rows the server finds for
// what is typed, arrows / Enter / Escape. The select stays in the form, hidden, and holds the
// value that is sent, so without this script the form works as a plain select.
(function () {
  "use strict";
  if (window.regiePickers) {
    return; // the widget loads the script once per picker on the page
  }
  window.regiePickers = true;

  var script = document.currentScript;
  var counter = 0;

  function loadStyle() {
    if (!script || document.querySelector("link[data-picker-style]")) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = script.src.replace(/picker\.js(\?.*)?$/, "picker.css");
    link.setAttribute("data-picker-style", "");
    document.head.appendChild(link);
  }

  function optionFor(select, id, text) {
    var value = String(id);
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        return select.options[i];
      }
    }
    var option = new Option(text, value);
    select.appendChild(option);
    return option;
  }

  function enhance(select) {
    if (select.dataset.pickerReady) {
      return;
    }
    select.dataset.pickerReady = "1";
    counter += 1;
    var multiple = select.multiple;
    var url = select.dataset.picker;
    var listId = "picker-list-" + counter;
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    var chosen = document.createElement("ul");
    chosen.className = "picker-chosen";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "picker-input";
    input.id = (select.id || "picker-" + counter) + "-search";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.placeholder = select.dataset.pickerPlaceholder || "";
    var describedBy = select.getAttribute("aria-describedby");
    if (describedBy) {
      input.setAttribute("aria-describedby", describedBy);
    }
    if (select.required) {
      // A hidden required select blocks the submission without telling anyone why: the
      // browser checks the visible input instead (the server checks the value anyway).
      select.required = false;
      if (multiple) {
        input.setAttribute("aria-required", "true");
      } else {
        input.required = true;
      }
    }
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "picker-status";
    status.setAttribute("role", "status");

    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) {
      label.htmlFor = input.id;
      if (!label.id) {
        label.id = input.id + "-label";
      }
      list.setAttribute("aria-labelledby", label.id);
    }
    select.parentNode.insertBefore(wrapper, select);
    if (multiple) {
      wrapper.appendChild(chosen);
    }
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    wrapper.appendChild(select);
    select.hidden = true;
    select.tabIndex = -1;

    var results = [];
    var active = -1;
    var timer = null;
    var request = 0;

    function selectedText() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }

    function renderChosen() {
      if (!multiple) {
        input.value = selectedText();
        return;
      }
      chosen.textContent = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var item = document.createElement("li");
        item.textContent = option.text + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "picker-remove";
        remove.textContent = "×";
        remove.setAttribute(
          "aria-label",
          (select.dataset.pickerRemove || "Remove") + " " + option.text
        );
        remove.addEventListener("click", function () {
          option.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          renderChosen();
          input.focus();
        });
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, position) {
        item.setAttribute("aria-selected", position === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var row = results[index];
      if (!row) {
        return;
      }
      var option = optionFor(select, row.id, row.text);
      if (multiple) {
        option.selected = true;
        input.value = "";
      } else {
        select.value = option.value;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChosen();
      close();
    }

    function render(data) {
      results = data.results;
      list.textContent = "";
      results.forEach(function (row, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = row.text;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(index);
        });
        list.appendChild(item);
      });
      if (!results.length) {
        var empty = document.createElement("li");
        empty.className = "picker-note";
        empty.textContent = select.dataset.pickerEmpty || "—";
        list.appendChild(empty);
      } else if (data.more) {
        var more = document.createElement("li");
        more.className = "picker-note";
        more.textContent = select.dataset.pickerMore || "…";
        list.appendChild(more);
      }
      status.textContent = results.length
        ? (select.dataset.pickerCount || "%s").replace("%s", results.length + (data.more ? "+" : ""))
        : select.dataset.pickerEmpty || "";
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function query() {
      var params = new URLSearchParams({ q: input.value.trim() });
      var form = select.form;
      (select.dataset.pickerDepends || "").split(" ").forEach(function (name) {
        var other = name && form ? form.elements.namedItem(name) : null;
        if (other && other.value) {
          params.set(name, other.value);
        }
      });
      var mine = ++request;
      fetch(url + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [], more: false };
        })
        .then(function (data) {
          if (mine === request && document.activeElement === input) {
            render(data);
          }
        });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(query, 200);
    }

    input.addEventListener("input", function () {
      if (!multiple && !input.value) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      later();
    });
    input.addEventListener("focus", function () {
      if (!multiple) {
        input.select();
      }
    });
    input.addEventListener("click", function () {
      if (list.hidden) {
        query();
      }
    });
    input.addEventListener("blur", function () {
      close();
      renderChosen();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          query();
        } else {
          highlight(active + (event.key === "ArrowDown" ? 1 : -1));
        }
      } else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault(); // choose, do not submit the form
        choose(active >= 0 ? active : 0);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
        renderChosen();
      } else if (event.key === "Backspace" && multiple && !input.value) {
        var last = select.selectedOptions[select.selectedOptions.length - 1];
        if (last) {
          last.selected = false;
          renderChosen();
        }
      }
    });
    // A room chosen for one site means nothing once another site is chosen.
    (select.dataset.pickerDepends || "").split(" ").forEach(function (name) {
      var other = name && select.form ? select.form.elements.namedItem(name) : null;
      if (other && other.addEventListener) {
        other.addEventListener("change", function () {
          if (!multiple && select.value) {
            select.value = "";
            renderChosen();
          }
        });
      }
    });
    renderChosen();
  }

  function enhanceAll(root) {
    loadStyle();
    Array.prototype.forEach.call(
      (root || document).querySelectorAll("select[data-picker]"),
      enhance
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
