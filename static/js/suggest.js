// Filter boxes with suggestions (core.choosers): as the visitor types, refresh the box's
// <datalist> from its JSON endpoint (data-suggest). Without this script the box still works:
// the server matches a typed name or slug.
(function () {
  "use strict";
  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) {
      return;
    }
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text === asked) {
          return;
        }
        asked = text;
        var url = input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text);
        window.fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            if (asked !== text) {
              return; // a later question is on its way
            }
            while (list.firstChild) {
              list.removeChild(list.firstChild);
            }
            data.results.forEach(function (result) {
              var option = document.createElement("option");
              option.value = result.value;
              option.textContent = result.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  document.querySelectorAll("input[data-suggest][list]").forEach(enhance);
})();
