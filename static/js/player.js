// Click-to-load players for recordings on site pages: nothing is loaded from the video host
// until the visitor presses the button, which replaces the notice with the host's player
// (its privacy-enhanced address). Without JavaScript the link to the host remains.
// A static file: no inline script, as the Content-Security-Policy requires.
"use strict"
;(() => {
  const load = (figure) => {
    const frame = document.createElement("iframe")
    frame.src = figure.dataset.playerSrc
    frame.title = figure.dataset.playerTitle || "Recording"
    frame.allow = "fullscreen; picture-in-picture"
    frame.allowFullscreen = true
    frame.referrerPolicy = "strict-origin-when-cross-origin"
    frame.loading = "lazy"
    frame.className = "player-frame"
    figure.querySelector(".player-notice").replaceWith(frame)
    frame.focus()
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-player-src]").forEach((figure) => {
      const button = figure.querySelector(".player-load")
      if (button) {
        button.hidden = false
        button.addEventListener("click", () => load(figure))
      }
    })
  })
})()
