// Tabs on long change forms. A fieldset or an inline whose classes include "tab-<name>"
// (core.admin.tabs assigns content, relations, publishing and seo) is shown under that tab,
// an inline without one under Relations; any other fieldset stays in view under every tab. Without JavaScript the form is
// the usual long page. A tab whose fields have errors is marked and opened first; the tab
// last opened on a page is opened again after "Save and continue editing".
(function () {
  "use strict";

  const ORDER = ["content", "relations", "publishing", "seo"];
  const LABELS = { content: "Content", relations: "Relations", publishing: "Publishing", seo: "SEO" };

  function tabName(element) {
    for (const name of element.classList) {
      if (name.startsWith("tab-")) return name.slice(4);
    }
    return null;
  }

  function init() {
    const form = document.querySelector("#content-main form");
    if (!form) return;
    const panels = new Map();
    for (const element of form.querySelectorAll("fieldset[class*='tab-']")) {
      const name = tabName(element);
      if (!name) continue;
      const panel = element.closest(".inline-group") || element;
      if (!panels.has(name)) panels.set(name, []);
      if (!panels.get(name).includes(panel)) panels.get(name).push(panel);
    }
    for (const group of form.querySelectorAll(".inline-group")) {
      if (group.querySelector("fieldset[class*='tab-']")) continue;
      if (!panels.has("relations")) panels.set("relations", []);
      panels.get("relations").push(group);
    }
    if (panels.size < 2 || !form.querySelector("fieldset[class*='tab-']")) return;

    const names = [...panels.keys()].sort((a, b) => {
      const ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
      return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib);
    });
    const storageKey = "admin-tab:" + window.location.pathname;
    const tablist = document.createElement("div");
    tablist.className = "form-tabs";
    tablist.setAttribute("role", "tablist");
    tablist.setAttribute("aria-label", "Sections of this form");
    const buttons = new Map();

    function select(name, focus) {
      for (const [other, button] of buttons) {
        const selected = other === name;
        button.setAttribute("aria-selected", selected ? "true" : "false");
        button.tabIndex = selected ? 0 : -1;
        for (const panel of panels.get(other)) panel.hidden = !selected;
      }
      if (focus) buttons.get(name).focus();
      try { window.sessionStorage.setItem(storageKey, name); } catch (error) { /* private mode */ }
    }

    let withErrors = null;
    names.forEach((name) => {
      const button = document.createElement("button");
      button.type = "button";
      button.id = "form-tab-" + name;
      button.setAttribute("role", "tab");
      button.dataset.tab = name;
      button.textContent = LABELS[name] || name.charAt(0).toUpperCase() + name.slice(1);
      const ids = [];
      panels.get(name).forEach((panel, index) => {
        panel.dataset.tabPanel = name;
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", button.id);
        if (!panel.id) panel.id = "form-tab-panel-" + name + "-" + index;
        ids.push(panel.id);
        if (panel.querySelector(".errorlist li, .errors")) {
          button.classList.add("has-errors");
          if (withErrors === null) withErrors = name;
        }
      });
      button.setAttribute("aria-controls", ids.join(" "));
      button.addEventListener("click", () => select(name, false));
      button.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (!step) return;
        event.preventDefault();
        const next = names[(names.indexOf(name) + step + names.length) % names.length];
        select(next, true);
      });
      buttons.set(name, button);
      tablist.appendChild(button);
    });

    const first = [...panels.values()].flat().sort((a, b) =>
      a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1
    )[0];
    first.parentNode.insertBefore(tablist, first);

    let remembered = null;
    try { remembered = window.sessionStorage.getItem(storageKey); } catch (error) { /* private mode */ }
    select(withErrors || (remembered && panels.has(remembered) ? remembered : names[0]), false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
