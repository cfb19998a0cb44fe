// The rich-text editor's Link, able to point at one of our items instead of a URL.
//
// A link to an item is stored as <a data-ref="events.session:12"> with no URL; the site
// writes the item's current URL when the text is shown (core/richtext.py). The dialog's
// "Find" button searches the items by title through the admin's JSON endpoint, whose
// address comes from the editor configuration (itemSearchUrl). A module of the site's
// static files, loaded by django-prose-editor: no inline script, no CDN.

import {
  Link as EditorLink,
  crel,
  gettext,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const searchItems = async (url, query) => {
  const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  return response.ok ? (await response.json()).results : []
}

// Opens a search box under the "Item on this site" field; choosing a result fills it in.
const itemPicker = (url) => ({
  label: gettext("Find…"),
  handler({ input }) {
    const field = input.closest(".prose-editor-dialog-field")
    let box = field.querySelector(".item-link-search")
    if (box) return box.focus()
    box = crel("input", {
      type: "search",
      className: "item-link-search",
      placeholder: gettext("Title of an event, session, person, article…"),
      size: 50,
    })
    const results = crel("ul", { className: "item-link-results" })
    let timer
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault() // not the dialog's submit
    })
    box.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(async () => {
        const items = box.value.trim().length < 2 ? [] : await searchItems(url, box.value)
        results.replaceChildren(
          ...items.map((item) => {
            const choose = crel("button", {
              type: "button",
              textContent: `${item.label} (${item.type}, ${item.state})`,
            })
            choose.addEventListener("click", () => {
              input.value = item.ref
              box.value = item.label
              results.replaceChildren()
            })
            return crel("li", {}, [choose])
          }),
        )
      }, 250)
    })
    field.append(box, results)
    box.focus()
  },
})

const linkDialog = (editor, attrs, options) => {
  const properties = {
    ref: {
      type: "string",
      title: gettext("Item on this site"),
      description: gettext("Follows the item if its address changes."),
    },
    href: { type: "string", title: gettext("Or a URL elsewhere") },
    title: { type: "string", title: gettext("Title") },
  }
  if (options.itemSearchUrl) properties.ref.picker = itemPicker(options.itemSearchUrl)
  return updateAttrsDialog(properties, { title: gettext("Edit Link") })(editor, attrs)
}

export const Link = EditorLink.extend({
  addOptions() {
    return { ...this.parent?.(), itemSearchUrl: null }
  },

  addAttributes() {
    return {
      ...this.parent?.(),
      ref: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-ref"),
        renderHTML: (attributes) => (attributes.ref ? { "data-ref": attributes.ref } : {}),
      },
    }
  },

  parseHTML() {
    // A link to one of our items has no href for the editor's own rule to match.
    return [{ tag: "a[data-ref]" }, ...(this.parent?.() || [])]
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive("link")) return
          linkDialog(editor, editor.getAttributes(this.name), this.options).then((attrs) => {
            if (!attrs) return
            attrs.ref = attrs.ref.trim() || null
            attrs.title = attrs.title.trim() || null
            // One or the other: an item reference wins over a URL.
            attrs.href = attrs.ref ? null : attrs.href.trim() || null
            if (!attrs.ref && !attrs.href) {
              editor.chain().focus().extendMarkRange(this.name).unsetLink().run()
            } else if (editor.isActive("link")) {
              editor
                .chain()
                .focus()
                .extendMarkRange(this.name)
                .updateAttributes(this.name, attrs)
                .run()
            } else {
              editor.chain().focus().setMark(this.name, attrs).run()
            }
          })
        },
    }
  },
})
