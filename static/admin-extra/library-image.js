// The rich-text editor's "Image from the library": a toolbar button whose dialog searches the
// media library and puts the chosen image in the text as a reference, never as a URL:
//
//   <figure><img data-ref="core.image:7" alt="…"><figcaption>…</figcaption></figure>
//
// The alt text is optional (empty: the library's is used) and so is the caption. The site
// shows the image's renditions, alt text and credit when the text is shown (core/richtext.py);
// here the editor shows its thumbnail, fetched by reference from the admin (previewUrl). The
// search endpoint (searchUrl) lists the newest images first. A module of the site's static
// files, loaded by django-prose-editor: no inline script, no CDN.

import { Node, crel, gettext, updateAttrsDialog } from "django-prose-editor/editor"

const REF = /^core\.image:[1-9][0-9]*$/

const searchImages = async (url, query) => {
  const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  return response.ok ? (await response.json()).results : []
}

const previewOf = (options, ref) =>
  options.previewUrl && REF.test(ref || "")
    ? `${options.previewUrl}?ref=${encodeURIComponent(ref)}`
    : ""

// A search box and the library's images as buttons (thumbnail and title) under the field.
const imagePicker = (url) => ({
  label: gettext("Find…"),
  handler({ input }) {
    const field = input.closest(".prose-editor-dialog-field")
    let box = field.querySelector(".library-image-search")
    if (box) return box.focus()
    box = crel("input", {
      type: "search",
      className: "library-image-search",
      placeholder: gettext("Title, alt text or tag of an image"),
      size: 50,
    })
    box.setAttribute("aria-label", gettext("Search the media library"))
    const results = crel("ul", { className: "library-image-results" })
    const show = async () => {
      const images = await searchImages(url, box.value.trim())
      results.replaceChildren(
        ...images.map((image) => {
          const choose = crel("button", { type: "button" }, [
            crel("img", { src: image.thumbnail, alt: "", width: 80 }),
            crel("span", { textContent: image.title }),
          ])
          choose.addEventListener("click", () => {
            input.value = image.ref
            const alt = input.closest("form").querySelector("input[name=alt]")
            if (alt) alt.placeholder = image.alt || gettext("(the library has no alt text)")
            results.replaceChildren()
            box.value = image.title
          })
          return crel("li", {}, [choose])
        }),
      )
    }
    let timer
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault() // not the dialog's submit
    })
    box.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(show, 250)
    })
    field.append(box, results)
    box.focus()
    show()
  },
})

const imageDialog = (editor, attrs, options, inserting) =>
  updateAttrsDialog(
    {
      ref: {
        type: "string",
        title: gettext("Image from the library"),
        description: gettext("Find it by its title; the library's image is shown."),
        required: true,
        picker: options.searchUrl ? imagePicker(options.searchUrl) : null,
      },
      alt: {
        type: "string",
        title: gettext("Alternative text here"),
        description: gettext("Leave empty to use the library's alt text."),
      },
      caption: { type: "string", title: gettext("Caption") },
    },
    {
      title: inserting ? gettext("Insert an image") : gettext("Edit the image"),
      submitText: inserting ? gettext("Insert") : gettext("Update"),
    },
  )(editor, attrs)

export const LibraryImage = Node.create({
  name: "libraryImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { searchUrl: null, previewUrl: null }
  },

  addAttributes() {
    return {
      ref: { default: null },
      alt: { default: "" },
      caption: { default: "" },
    }
  },

  parseHTML() {
    const fromImage = (img) => ({
      ref: img.getAttribute("data-ref"),
      alt: img.getAttribute("alt") || "",
    })
    return [
      {
        tag: "figure",
        getAttrs(figure) {
          const img = figure.querySelector(":scope > img[data-ref]")
          if (!img) return false
          const caption = figure.querySelector(":scope > figcaption")
          return { ...fromImage(img), caption: caption ? caption.textContent.trim() : "" }
        },
      },
      { tag: "img[data-ref]", getAttrs: fromImage },
    ]
  },

  renderHTML({ node }) {
    const { ref, alt, caption } = node.attrs
    const img = ["img", alt ? { "data-ref": ref, alt } : { "data-ref": ref }]
    return caption ? ["figure", {}, img, ["figcaption", {}, caption]] : ["figure", {}, img]
  },

  addNodeView() {
    return ({ node }) => {
      const img = crel("img", { src: previewOf(this.options, node.attrs.ref), alt: node.attrs.alt })
      const dom = crel("figure", { className: "library-image" }, [img])
      if (node.attrs.caption) dom.append(crel("figcaption", { textContent: node.attrs.caption }))
      return { dom }
    }
  },

  addCommands() {
    return {
      chooseLibraryImage:
        () =>
        ({ editor }) => {
          const editing = editor.isActive(this.name)
          const attrs = editing ? editor.getAttributes(this.name) : {}
          imageDialog(editor, attrs, this.options, !editing).then((chosen) => {
            if (!chosen) return
            const ref = chosen.ref.trim()
            if (!REF.test(ref)) return
            const values = { ref, alt: chosen.alt.trim(), caption: chosen.caption.trim() }
            if (editing) {
              editor.chain().focus().updateAttributes(this.name, values).run()
            } else {
              editor.chain().focus().insertContent({ type: this.name, attrs: values }).run()
            }
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "libraryImage",
      groups: "nodes",
      command(editor) {
        editor.commands.chooseLibraryImage()
      },
      button: buttons.material("add_photo_alternate", gettext("Image from the library")),
      active(editor) {
        return editor.isActive("libraryImage")
      },
    })
  },
})
