// The live preview beside an admin change form (core.admin.preview): the public page of the
// form as it stands, unsaved, refreshed a moment after the editor stops typing or on demand,
// at phone, tablet and desktop widths, and an accessibility checker (axe-core) that runs on
// it. The form is posted to the preview address given by the hidden field
// [data-live-preview]; the answer is shown in a sandboxed <iframe srcdoc>, which inherits
// this page's Content-Security-Policy: its scripts get this page's nonce. The frame has an
// origin of its own and talks to this page by messages only (preview-frame.js). The checker's
// latest result is kept in the hidden field, posted with the form: publishing with serious
// problems then asks for a confirmation. A static file: no inline script.
"use strict"
;(() => {
  const NONCE = document.currentScript?.nonce || document.querySelector("script[nonce]")?.nonce || ""
  const WIDTHS = [
    ["phone", "Phone", 375],
    ["tablet", "Tablet", 768],
    ["desktop", "Desktop", 1280],
  ]
  const DELAY = 700
  const OPEN_KEY = "live-preview-open"
  const WIDTH_KEY = "live-preview-width"

  const element = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
    node.append(...children)
    return node
  }

  const start = () => {
    const field = document.querySelector("input[data-live-preview]")
    if (!field || !field.form || field.dataset.previewReady) return
    field.dataset.previewReady = "1"
    const form = field.form
    const url = field.dataset.livePreview

    const toggle = element(
      "button",
      { type: "button", class: "live-preview-toggle", "aria-expanded": "false", "aria-controls": "live-preview" },
      "Live preview",
    )
    const widthButtons = WIDTHS.map(([key, label, px]) =>
      element("button", { type: "button", "data-width": key, "aria-pressed": "false", title: `${px} pixels wide` }, label),
    )
    const refreshButton = element("button", { type: "button", "data-action": "refresh" }, "Refresh")
    const follow = element("input", { type: "checkbox", id: "live-preview-follow", checked: "" })
    const checkButton = element("button", { type: "button", "data-action": "check" }, "Check accessibility")
    const closeButton = element("button", { type: "button", "data-action": "close", "aria-label": "Close the preview" }, "×")
    const status = element("p", { class: "live-preview-status", role: "status" })
    const frame = element("iframe", {
      title: "Preview of the public page",
      sandbox: "allow-scripts",
      referrerpolicy: "no-referrer",
    })
    const stage = element("div", { class: "live-preview-stage" }, frame)
    const resultList = element("ol", { class: "live-preview-problems" })
    const resultSummary = element("p", { class: "live-preview-summary" })
    const results = element(
      "section",
      { class: "live-preview-results", "aria-label": "Accessibility problems", hidden: "" },
      element("h2", {}, "Accessibility"),
      resultSummary,
      resultList,
    )
    const panel = element(
      "aside",
      { id: "live-preview", class: "live-preview", "aria-label": "Live preview", hidden: "" },
      element(
        "div",
        { class: "live-preview-bar" },
        element("div", { class: "live-preview-widths", role: "group", "aria-label": "Width" }, ...widthButtons),
        refreshButton,
        element("label", { class: "live-preview-follow", for: "live-preview-follow" }, follow, " Follow typing"),
        checkButton,
        closeButton,
      ),
      status,
      stage,
      results,
    )
    form.before(toggle)
    document.body.append(panel)

    let width = WIDTHS.find(([key]) => key === localStorage.getItem(WIDTH_KEY)) || WIDTHS[2]
    let timer = null
    let requestNumber = 0
    let frameReady = false
    let checked = false // once checked, the check runs again after each refresh
    let scrollY = 0
    let loaded = false

    const layout = () => {
      const [key, , px] = width
      for (const button of widthButtons) button.setAttribute("aria-pressed", String(button.dataset.width === key))
      const available = stage.clientWidth || px
      const scale = Math.min(1, available / px)
      frame.style.width = `${px}px`
      frame.style.height = `${Math.max(stage.clientHeight, 200) / scale}px`
      frame.style.transform = `scale(${scale})`
      stage.dataset.width = key
    }

    const show = (html) => {
      const doc = new DOMParser().parseFromString(html, "text/html")
      for (const script of doc.querySelectorAll("script")) script.setAttribute("nonce", NONCE)
      const runner = doc.createElement("script")
      runner.src = field.dataset.frameScript
      runner.dataset.axe = field.dataset.axe
      runner.dataset.scroll = String(scrollY)
      runner.setAttribute("nonce", NONCE)
      doc.body.append(runner)
      frameReady = false
      frame.srcdoc = `<!DOCTYPE html>${doc.documentElement.outerHTML}`
    }

    let submitting = false
    const refresh = async (retries = 2) => {
      clearTimeout(timer)
      if (submitting) return
      const number = ++requestNumber
      const data = new FormData(form)
      for (const [name, value] of [...data.entries()]) if (value instanceof File) data.delete(name)
      status.textContent = "Updating the preview…"
      let response
      try {
        response = await fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      } catch {
        if (number === requestNumber) status.textContent = "The preview could not be reached; try Refresh."
        return
      }
      if (number !== requestNumber) return
      if (response.status === 503 && retries > 0) {
        // Busy for a moment (a save of the same item holds its row): try again shortly.
        timer = setTimeout(() => refresh(retries - 1), 1000)
        return
      }
      if (!response.ok) {
        status.textContent =
          response.status === 403
            ? "You may not preview this item."
            : `The preview could not be made (error ${response.status}).`
        return
      }
      const html = await response.text()
      if (number !== requestNumber) return
      loaded = true
      show(html)
      status.textContent = html.includes("data-preview-errors")
        ? "The form has errors: they are listed in the preview."
        : "Preview of the unsaved form."
    }

    const later = () => {
      if (panel.hidden || !follow.checked) return
      clearTimeout(timer)
      timer = setTimeout(() => refresh(), DELAY)
    }

    const open = (yes) => {
      panel.hidden = !yes
      toggle.setAttribute("aria-expanded", String(yes))
      document.body.classList.toggle("live-preview-open", yes)
      localStorage.setItem(OPEN_KEY, yes ? "1" : "")
      if (yes) {
        layout()
        if (!loaded) refresh()
      }
    }

    const check = () => {
      checked = true
      if (!frameReady) {
        status.textContent = "Waiting for the preview before checking…"
        return
      }
      status.textContent = "Checking accessibility…"
      frame.contentWindow.postMessage({ type: "check" }, "*")
    }

    const report = (violations) => {
      const kept = violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 20).map((n) => ({ target: n.target })),
      }))
      field.value = JSON.stringify({ checked_at: new Date().toISOString(), violations: kept })
      resultList.replaceChildren()
      const count = violations.length
      resultSummary.textContent = count
        ? `${count} kind${count === 1 ? "" : "s"} of problem found. Choose an element to see it in the preview.`
        : "No problems found by the automatic check."
      for (const violation of violations) {
        const places = element("ul", { class: "live-preview-places" })
        for (const node of violation.nodes) {
          const selector = node.target.join(" ")
          const button = element("button", { type: "button", "data-selector": selector }, element("code", {}, selector))
          button.title = node.failureSummary || ""
          places.append(element("li", {}, button))
        }
        resultList.append(
          element(
            "li",
            { class: `live-preview-problem impact-${violation.impact || "minor"}`, "data-rule": violation.id },
            element("strong", { class: "live-preview-impact" }, violation.impact || "minor"),
            " ",
            violation.help,
            element("span", { class: "live-preview-rule" }, ` (${violation.id})`),
            places,
          ),
        )
      }
      results.hidden = false
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").length
      status.textContent = serious
        ? `Checked: ${serious} serious problem${serious === 1 ? "" : "s"}; publishing will ask for a confirmation.`
        : "Checked."
    }

    window.addEventListener("message", (event) => {
      if (event.source !== frame.contentWindow) return
      const message = event.data || {}
      if (message.type === "ready") {
        frameReady = true
        if (checked) check()
      } else if (message.type === "scroll") {
        scrollY = Number(message.y) || 0
      } else if (message.type === "result") {
        if (message.error) status.textContent = `The check could not run: ${message.error}`
        else report(message.violations || [])
      }
    })

    resultList.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-selector]")
      if (button && frameReady) frame.contentWindow.postMessage({ type: "highlight", selector: button.dataset.selector }, "*")
    })
    toggle.addEventListener("click", () => open(panel.hidden))
    closeButton.addEventListener("click", () => open(false))
    refreshButton.addEventListener("click", () => refresh())
    // No preview while the form is being saved: it would wait for the save's lock on the item.
    form.addEventListener("submit", () => {
      submitting = true
      clearTimeout(timer)
    })
    checkButton.addEventListener("click", check)
    for (const button of widthButtons) {
      button.addEventListener("click", () => {
        width = WIDTHS.find(([key]) => key === button.dataset.width)
        localStorage.setItem(WIDTH_KEY, width[0])
        layout()
      })
    }
    // Typing, choosing, and inline rows added or removed.
    form.addEventListener("input", later)
    form.addEventListener("change", later)
    document.addEventListener("formset:added", later)
    document.addEventListener("formset:removed", later)
    new ResizeObserver(() => panel.hidden || layout()).observe(stage)
    if (localStorage.getItem(OPEN_KEY)) open(true)
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
  else start()
})()
