// Suggestions for an admin field that names one of our items (redirect targets, "replace
// with…"): while the editor types a title, the items found by the link picker's search
// (/admin/rich-text/link-targets/) are offered in the field's <datalist>; choosing one puts
// its reference (e.g. events.event:3) in the field. Without JavaScript the field still takes
// the pasted address of one of our pages. A static file: no inline script.
"use strict"
;(() => {
  const search = async (url, query) => {
    const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
    return response.ok ? (await response.json()).results : []
  }

  const attach = (input) => {
    const list = document.getElementById(input.getAttribute("list"))
    if (!list || input.dataset.pickerReady) return
    input.dataset.pickerReady = "1"
    let timer
    input.addEventListener("input", () => {
      clearTimeout(timer)
      const query = input.value.trim()
      if (query.length < 2 || /^[a-z_]+\.[a-z_]+:\d+$/.test(query)) return
      timer = setTimeout(async () => {
        const items = await search(input.dataset.linkTargets, query)
        list.replaceChildren(
          ...items.map((item) => {
            const option = document.createElement("option")
            option.value = item.ref
            option.label = `${item.label} (${item.type}, ${item.state}) ${item.url}`
            option.textContent = option.label
            return option
          }),
        )
      }, 250)
    })
  }

  const start = () => document.querySelectorAll("input.item-picker[list]").forEach(attach)
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
  else start()
})()
