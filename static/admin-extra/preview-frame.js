// Inside the live preview's sandboxed frame (see live-preview.js): on the admin page's
// request, runs axe-core (served by the site, loaded on first use with this frame's nonce) on
// the previewed page and sends back what it found, outlines an element the editor chose, and
// keeps the scroll position across refreshes. It answers messages from the admin page only.
"use strict"
;(() => {
  const me = document.currentScript
  const nonce = me.nonce || me.getAttribute("nonce") || ""
  let axeLoading = null
  let outlined = null

  const post = (message) => window.parent.postMessage(message, "*")

  const loadAxe = () => {
    axeLoading ||= new Promise((resolve, reject) => {
      const script = document.createElement("script")
      script.src = me.dataset.axe
      script.nonce = nonce
      script.addEventListener("load", resolve)
      script.addEventListener("error", () => reject(new Error("axe-core did not load")))
      document.head.append(script)
    })
    return axeLoading
  }

  const check = async () => {
    try {
      await loadAxe()
      const result = await window.axe.run(document, { resultTypes: ["violations"] })
      post({
        type: "result",
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({
            target: n.target.map(String),
            failureSummary: n.failureSummary || "",
          })),
        })),
      })
    } catch (error) {
      post({ type: "result", error: String(error.message || error) })
    }
  }

  const highlight = (selector) => {
    let target = null
    try {
      target = document.querySelector(selector)
    } catch {
      return
    }
    if (outlined) {
      outlined.style.outline = ""
      outlined.style.outlineOffset = ""
    }
    if (!target) return
    target.scrollIntoView({ block: "center" })
    target.style.outline = "4px solid #d6001c"
    target.style.outlineOffset = "2px"
    outlined = target
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return
    const message = event.data || {}
    if (message.type === "check") check()
    else if (message.type === "highlight") highlight(String(message.selector || ""))
  })

  let timer = null
  window.addEventListener("scroll", () => {
    clearTimeout(timer)
    timer = setTimeout(() => post({ type: "scroll", y: window.scrollY }), 100)
  })
  // Links and forms lead nowhere in a preview: the frame stays on the page.
  document.addEventListener("click", (event) => {
    if (event.target.closest("a[href]")) event.preventDefault()
  })
  window.scrollTo(0, Number(me.dataset.scroll) || 0)
  post({ type: "ready" })
})()
