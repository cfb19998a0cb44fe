// A visitor's own agenda on an event's page: a "My agenda" toggle on every session, the
// chosen sessions listed under "My agenda", and a link that downloads them as a calendar
// (the event's agenda.ics with their ids). Kept in this browser's localStorage only: no
// cookie, nothing sent until the visitor downloads. Without JavaScript (or storage) the page
// is the plain programme. A static file: no inline script, as the Content-Security-Policy
// requires.
"use strict"
;(() => {
  const start = () => {
    const root = document.querySelector("[data-agenda]")
    const section = document.getElementById("my-agenda")
    if (!root || !section) return
    let store
    try {
      store = window.localStorage
      store.getItem("agenda:probe")
    } catch {
      return
    }
    const key = `agenda:${root.dataset.agenda}`

    // id -> { title, url, when, start } ("start" is ISO, "" when the time is not yet known)
    const read = () => {
      try {
        const items = JSON.parse(store.getItem(key) || "{}")
        return items && typeof items === "object" && !Array.isArray(items) ? items : {}
      } catch {
        return {}
      }
    }
    const write = (items) => {
      try {
        store.setItem(key, JSON.stringify(items))
      } catch {
        // Storage full or refused: the toggle still shows the choice for this visit.
      }
    }

    const describe = (element) => {
      const link = element.querySelector(".session-title a, .tt-session > a")
      const when = element.querySelector(".session-when, .tt-when")
      const title = element.querySelector(".session-title a, .tt-title")
      return {
        title: title ? title.textContent.trim() : "",
        url: link ? link.getAttribute("href") : "",
        when: when ? when.textContent.trim() : "",
        start: element.dataset.start || "",
      }
    }

    const sessions = () => root.querySelectorAll("[data-session]")

    // Keep only sessions the page still has (one withdrawn since is dropped), refreshed from
    // what the page now says (a new time, a new title).
    const known = new Set((root.dataset.sessions || "").split(","))
    const items = read()
    Object.keys(items).forEach((id) => {
      if (!known.has(id)) delete items[id]
    })
    sessions().forEach((element) => {
      const id = element.dataset.session
      if (items[id] && element.matches(".session")) items[id] = describe(element)
    })
    write(items)

    const toggle = document.createElement("button")
    toggle.type = "button"
    toggle.className = "button button--secondary agenda-toggle"
    toggle.setAttribute("aria-controls", "my-agenda")
    toggle.setAttribute("aria-expanded", "false")
    const tools = root.querySelector(".programme-tools-actions")
    if (tools) tools.append(toggle)
    toggle.addEventListener("click", () => {
      const open = section.hidden
      section.hidden = !open
      toggle.setAttribute("aria-expanded", String(open))
      if (open) section.querySelector("h3").scrollIntoView({ block: "start" })
    })

    const render = () => {
      const chosen = read()
      const ids = Object.keys(chosen)
      toggle.textContent = `My agenda (${ids.length})`
      sessions().forEach((element) => {
        const button = element.querySelector(":scope > .star, :scope > p > .star")
        if (button) button.setAttribute("aria-pressed", String(element.dataset.session in chosen))
      })
      const list = section.querySelector(".agenda-list")
      list.replaceChildren()
      const ordered = ids.sort((a, b) => {
        const x = chosen[a].start || "9999"
        const y = chosen[b].start || "9999"
        return x < y ? -1 : x > y ? 1 : chosen[a].title.localeCompare(chosen[b].title)
      })
      ordered.forEach((id) => {
        const item = chosen[id]
        const entry = document.createElement("li")
        entry.className = "session"
        entry.dataset.agendaItem = id
        const heading = document.createElement("h4")
        heading.className = "session-title"
        const link = document.createElement("a")
        link.href = item.url
        link.textContent = item.title
        heading.append(link)
        const meta = document.createElement("p")
        meta.className = "meta"
        meta.textContent = item.start ? item.when : "Time to be announced (not in the calendar)"
        const remove = document.createElement("button")
        remove.type = "button"
        remove.className = "star star--remove"
        remove.textContent = "Remove"
        // The visible word first, then which session (WCAG 2.5.3, label in name).
        remove.setAttribute("aria-label", `Remove: ${item.title}`)
        remove.addEventListener("click", () => {
          const now = read()
          delete now[id]
          write(now)
          render()
          toggle.focus()
        })
        entry.append(heading, meta, remove)
        list.append(entry)
      })
      section.querySelector(".agenda-empty").hidden = ordered.length > 0
      const timed = ordered.filter((id) => chosen[id].start)
      const actions = section.querySelector(".agenda-actions")
      actions.hidden = timed.length === 0
      const download = section.querySelector("[data-agenda-download]")
      const base = download.dataset.calendar
      download.setAttribute(
        "href",
        `${base}?sessions=${timed.map(Number).sort((a, b) => a - b).join(",")}`
      )
      const untimed = ordered.length - timed.length
      section.querySelector(".agenda-untimed").textContent = untimed
        ? `${untimed} session${untimed === 1 ? " has" : "s have"} no time yet and ${untimed === 1 ? "is" : "are"} not in it.`
        : ""
    }

    sessions().forEach((element) => {
      const button = document.createElement("button")
      button.type = "button"
      button.className = "star"
      button.setAttribute("aria-pressed", "false")
      const title = describe(element).title
      const icon = document.createElement("span")
      icon.className = "star-icon"
      icon.setAttribute("aria-hidden", "true")
      button.append(icon, "My agenda")
      button.setAttribute("aria-label", `My agenda: ${title}`)
      button.addEventListener("click", () => {
        const now = read()
        const id = element.dataset.session
        if (id in now) delete now[id]
        else now[id] = describe(element)
        write(now)
        render()
      })
      const meta = element.querySelector(":scope > .meta")
      if (meta) meta.append(" ", button)
      else element.append(button)
    })
    render()
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
  else start()
})()
