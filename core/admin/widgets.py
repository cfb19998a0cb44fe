"""Search-as-you-type for long lists of choices (countries, currencies, languages).

A plain ``<select>`` of 250 countries is scrolled, not searched, and a multiple select of
them (an initiative's jurisdictions) is a box of 250 lines where a slip of the mouse clears
the choice. ``searchable`` gives a form field whose list has more than ``LONG_CHOICES``
entries (see ``core.admin.choices``) the admin's own select2 (served by Django, no CDN;
initialised by ``static/admin-extra/searchable-select.js``, so nothing inline for the CSP),
searching the options already in the page: no extra request, and the plain select without
JavaScript.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import SELECT2_TRANSLATIONS
from django.utils.translation import get_language

#: A list of choices longer than this is searched as one types.
LONG_CHOICES = 30

_CSS_CLASS = "admin-searchable-select"


class _SearchableMixin:
    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        i18n = SELECT2_TRANSLATIONS.get(get_language())
        i18n_file = (f"admin/js/vendor/select2/i18n/{i18n}.js",) if i18n else ()
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *i18n_file,
                "admin/js/jquery.init.js",
                "admin-extra/searchable-select.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                )
            },
        )

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = f"{attrs.get('class', '')} {_CSS_CLASS}".strip()
        attrs.setdefault("data-placeholder", "Type to search…")
        return attrs


class SearchableSelect(_SearchableMixin, forms.Select):
    """One choice from a long list, searched as one types."""


class SearchableSelectMultiple(_SearchableMixin, forms.SelectMultiple):
    """Several choices from a long list, each added by searching."""


def searchable(formfield: forms.Field | None) -> forms.Field | None:
    """``formfield`` with a searchable widget if it offers more than ``LONG_CHOICES`` choices
    from a plain select (relations keep their own autocomplete or select)."""
    if formfield is None or isinstance(formfield, forms.ModelChoiceField):
        return formfield
    widget = formfield.widget
    if isinstance(widget, _SearchableMixin):
        return formfield
    # Plain selects and their lazy variants (django-countries' LazySelect).
    if isinstance(widget, forms.SelectMultiple):
        searchable_widget = SearchableSelectMultiple
    elif isinstance(widget, forms.Select):
        searchable_widget = SearchableSelect
    else:
        return formfield
    choices = getattr(formfield, "choices", None)
    if choices is None or len(list(choices)) <= LONG_CHOICES:
        return formfield
    new = searchable_widget(attrs=widget.attrs)
    new.choices = widget.choices
    new.is_required = widget.is_required
    formfield.widget = new
    return formfield
