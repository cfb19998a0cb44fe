// Long lists of choices searched as one types (core.admin.widgets): the admin's own select2
// on the options already in the page, on rows added to an inline too.
"use strict";
{
  const $ = django.jQuery;
  const SELECTOR = "select.admin-searchable-select";

  function init(element) {
    if (element.name && element.name.includes("__prefix__")) return;
    if ($(element).data("select2")) return;
    $(element).select2({
      theme: "admin-autocomplete",
      width: element.multiple ? "100%" : "resolve",
      allowClear: !element.required && !element.multiple,
      placeholder: element.dataset.placeholder || "",
    });
    // A list filter's drop-down applies its choice at once.
    if ("submitOnChange" in element.dataset) {
      $(element).on("change", () => element.form.submit());
    }
  }

  $(function () {
    document.querySelectorAll(SELECTOR).forEach(init);
  });
  document.addEventListener("formset:added", (event) => {
    event.target.querySelectorAll(SELECTOR).forEach(init);
  });
}
