"""Read an HTML form the way a browser submits it, so the load test can save admin forms.

Only what Django's admin renders is handled: inputs (text-like, hidden, checked checkboxes and
radios), textareas and selects (single and multiple). Buttons, files and unchecked boxes are
not submitted, as in a browser.
"""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

_NOT_SUBMITTED = {"submit", "button", "reset", "image", "file"}
# Elements without an end tag, which must not count as opening a nested element.
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        attr = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form" and not self.found:
            if self.form_id is None or attr.get("id") == self.form_id:
                self.in_form = self.found = True
            return
        if not self.in_form:
            return
        name = attr.get("name")
        if tag == "input" and name and "disabled" not in attr:
            kind = attr.get("type", "text").lower()
            if kind in _NOT_SUBMITTED:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self.fields.append((name, attr.get("value", "on")))
                return
            self.fields.append((name, attr.get("value", "")))
        elif tag == "textarea" and name and "disabled" not in attr:
            self._textarea = (name, [])
        elif tag == "select" and name and "disabled" not in attr:
            self._select = (name, "multiple" in attr, [])
        elif tag == "option" and self._select is not None:
            self._option = [attr.get("value"), "selected" in attr, []]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self._close_option()
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea[1])
            # Browsers drop one newline straight after <textarea>.
            if text.startswith("\n"):
                text = text[1:]
            self.fields.append((self._textarea[0], text))
            self._textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            name, multiple, options = self._select
            chosen = [value for value, selected in options if selected]
            if not multiple and not chosen and options:
                chosen = [options[0][0]]  # a single select submits its first option
            self.fields.extend((name, value) for value in chosen)
            self._select = None

    def _close_option(self):
        if self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select[2].append((value if value is not None else "".join(text), selected))
        self._option = None


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]] | None:
    """The (name, value) pairs the form would submit, or None if the page has no such form.

    ``form_id`` picks a form by its ``id``; without it, the first form on the page.
    """
    parser = _FormParser(form_id)
    parser.feed(html)
    parser.close()
    return parser.fields if parser.found else None


def replace_field(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """``fields`` with every value of ``name`` replaced by ``value`` (added if absent)."""
    out = [(key, val) for key, val in fields if key != name]
    out.append((name, value))
    return out


def field_value(fields: list[tuple[str, str]], name: str) -> str | None:
    for key, value in fields:
        if key == name:
            return value
    return None


def error_text(html: str, limit: int = 300) -> str:
    """The text of a page's error lists (what the admin shows when a save is refused)."""

    class _Errors(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.depth = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in _VOID:
                return
            classes = (dict(attrs).get("class") or "").split()
            if self.depth or "errorlist" in classes or "errornote" in classes:
                self.depth += 1

        def handle_endtag(self, tag):
            if self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth and data.strip():
                self.parts.append(data.strip())

    parser = _Errors()
    parser.feed(html)
    return unescape(" ".join(parser.parts))[:limit]
