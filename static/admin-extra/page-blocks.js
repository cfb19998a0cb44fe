// A page's blocks in the admin: each block row shows only the fields its kind uses (the map
// is on the kind select, data-block-fields), and up and down buttons swap its order number
// with the neighbour's. Without JavaScript every field shows and the order numbers decide.
// A static file: no inline script.
"use strict"
;(() => {
  const rowOf = (select) => select.closest(".inline-related")

  const show = (select) => {
    const uses = JSON.parse(select.dataset.blockFields)[select.value] || null
    const row = rowOf(select)
    if (!row) return
    row.querySelectorAll(".form-row, .fieldBox").forEach((box) => {
      const name = [...box.classList].find((c) => c.startsWith("field-"))
      if (!name) return
      const field = name.slice("field-".length)
      if (field === "kind" || field === "order") return
      box.hidden = uses !== null && !uses.includes(field)
    })
  }

  const rows = (group) =>
    [...group.querySelectorAll(".inline-related:not(.empty-form)")].filter(
      (row) => row.querySelector("select[data-block-fields]"),
    )

  const move = (row, step) => {
    const group = row.closest(".inline-group")
    const all = rows(group).sort(
      (a, b) =>
        Number(a.querySelector("input[name$='-order']").value) -
        Number(b.querySelector("input[name$='-order']").value),
    )
    all.forEach((r, index) => {
      r.querySelector("input[name$='-order']").value = String((index + 1) * 10)
    })
    const index = all.indexOf(row)
    const other = all[index + step]
    if (!other) return
    const mine = row.querySelector("input[name$='-order']")
    const theirs = other.querySelector("input[name$='-order']")
    ;[mine.value, theirs.value] = [theirs.value, mine.value]
    if (step < 0) other.before(row)
    else other.after(row)
  }

  const attach = (select) => {
    if (select.dataset.blocksReady) return
    select.dataset.blocksReady = "1"
    select.addEventListener("change", () => show(select))
    show(select)
    const row = rowOf(select)
    const order = row && row.querySelector("input[name$='-order']")
    if (!order) return
    let anchor = order
    for (const [label, step] of [["Move up", -1], ["Move down", 1]]) {
      const button = document.createElement("button")
      button.type = "button"
      button.className = "button block-move"
      button.textContent = label
      button.addEventListener("click", () => move(row, step))
      anchor.after(button)
      anchor = button
    }
  }

  const scan = () => document.querySelectorAll("select[data-block-fields]").forEach(attach)
  document.addEventListener("DOMContentLoaded", scan)
  document.addEventListener("formset:added", scan)
})()
