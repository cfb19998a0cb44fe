// The change form's review panels (core/admin/reviews.py): flags the fields that have open
// comments, and tells the server every few seconds that the form is still open, showing who
// else has it open. A static file of the site: no inline script, so the CSP holds.
"use strict"

document.addEventListener("DOMContentLoaded", () => {
  // A flag next to each field with an open comment, linking to the thread.
  for (const thread of document.querySelectorAll("[data-comment-field]")) {
    const name = thread.dataset.commentField
    const row = document.querySelector(`.form-row.field-${CSS.escape(name)}, .fieldBox.field-${CSS.escape(name)}`)
    if (!row || row.querySelector(`a[href="#${thread.id}"]`)) continue
    const flag = document.createElement("a")
    flag.href = `#${thread.id}`
    flag.className = "review-flag"
    flag.textContent = "Comment"
    flag.setAttribute("aria-label", "An open review comment on this field")
    row.appendChild(flag)
  }

  const status = document.getElementById("review-status")
  const line = document.getElementById("review-presence")
  const token = document.querySelector("input[name=csrfmiddlewaretoken]")
  if (!status || !line || !token) return
  const url = status.dataset.presenceUrl
  const every = Number(status.dataset.pingSeconds || 20) * 1000

  const post = (extra) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value, Accept: "application/json" },
      body: new URLSearchParams(extra || {}),
      keepalive: Boolean(extra),
    })

  const ping = async () => {
    if (document.hidden) return
    try {
      const response = await post()
      if (!response.ok) return
      const { others } = await response.json()
      line.textContent = others.length ? `Also open by ${others.join(", ")}.` : ""
    } catch (error) {
      // Offline for a moment: the next ping tries again.
    }
  }
  setInterval(ping, every)
  window.addEventListener("pagehide", () => post({ left: "1" }))
})
