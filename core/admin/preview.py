"""Live preview beside the change form, and the accessibility checker that runs in it.

On the change and add forms of every type with a public page (the registry says which), a
panel shows the item's public page as the form stands, unsaved: refreshed a moment after the
editor stops typing or on demand, at phone, tablet and desktop widths. The panel posts the
form to ``<item>/preview/`` (``add/preview/`` on an add form), where the admin's own form and
inline formsets are bound to it and saved in a transaction that is always rolled back
(``core.previews``); the item's public view renders the page there. Only staff who may both
preview the type (``core.publishing.can_preview``) and change the item (or add one) get it;
the answer is never cached. Invalid data gives the form's errors instead of a page.

The panel shows the page in a sandboxed ``<iframe srcdoc>``: it inherits the admin page's
Content-Security-Policy, so its scripts carry the admin page's nonce, and it has an origin of
its own, so nothing in it can reach the admin. *Check accessibility* runs axe-core (served by
the site, ``core.packaged_static``) inside the frame and lists the problems with their impact;
clicking one outlines the element in the frame. The latest result goes with the form in a
hidden field; publishing an item whose result has serious or critical problems asks for a
confirmation first.
"""

from __future__ import annotations

import json
import logging

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.datastructures import MultiValueDict
from js_asset import Media

from core import previews
from core.packaged_static import AXE_JS
from core.publishing import Status, can_preview

logger = logging.getLogger(__name__)

REPORT = "accessibility_report"
CONFIRM = "publish_despite_problems"
#: axe-core's impacts that make publishing ask for a confirmation.
SERIOUS = ("serious", "critical")
PANEL_JS = "admin-extra/live-preview.js"
FRAME_JS = "admin-extra/preview-frame.js"
PANEL_CSS = "admin-extra/live-preview.css"


def serious_problems(report: str) -> list[dict]:
    """The serious and critical problems in a checker result as posted by the panel.

    The result is the browser's: anything that is not the expected shape counts as no result.
    """
    try:
        data = json.loads(report or "null")
    except ValueError:
        return []
    violations = data.get("violations") if isinstance(data, dict) else None
    if not isinstance(violations, list):
        return []
    found = []
    for violation in violations:
        if not isinstance(violation, dict) or violation.get("impact") not in SERIOUS:
            continue
        nodes = violation.get("nodes")
        found.append(
            {
                "impact": str(violation["impact"]),
                "help": str(violation.get("help") or violation.get("id") or "")[:300],
                "count": len(nodes) if isinstance(nodes, list) else 1,
            }
        )
    return found


class PreviewPanelInput(forms.HiddenInput):
    """The hidden field that carries the checker's latest result; it also tells the panel's
    script where to post the form and where axe-core is."""

    def __init__(self, *, preview_url: str, attrs=None):
        super().__init__(attrs)
        self.preview_url = preview_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-live-preview": self.preview_url,
                "data-axe": static(AXE_JS),
                "data-frame-script": static(FRAME_JS),
            }
        )
        return context

    @property
    def media(self):
        # django-js-asset's Media carries the page's CSP nonce (core.security) to every script
        # of the form; the panel reads it from its own tag to give it to the preview's scripts.
        return Media(js=[PANEL_JS], css={"all": [PANEL_CSS]})


class AccessibilityConfirmFormMixin:
    """Publishing with serious problems in the posted checker result needs the box ticked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.accessibility_problems = serious_problems(self.data.get(self.add_prefix(REPORT)))
        publishing = self.is_bound and (
            self.data.get(self.add_prefix("status")) == Status.PUBLISHED
            and getattr(self, "state_before", self.instance.status) != Status.PUBLISHED
        )
        self.needs_confirmation = bool(publishing and self.accessibility_problems)
        if not self.needs_confirmation:
            self.fields[CONFIRM].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if self.needs_confirmation and not cleaned.get(CONFIRM):
            listed = "; ".join(
                f"{p['help']} ({p['impact']}, {p['count']} element{'s' if p['count'] != 1 else ''})"
                for p in self.accessibility_problems
            )
            self.add_error(
                CONFIRM,
                "The accessibility check of the preview found serious problems: "
                f"{listed}. Fix them, or tick this box to publish anyway.",
            )
        return cleaned


class LivePreviewMixin:
    """For ``PublishableAdmin``: the preview panel, its endpoint and the publish confirmation."""

    def has_live_preview(self, request, obj=None) -> bool:
        """The panel is for types with a public page, to staff who may preview and edit."""
        if not previews.has_page(self.model) or not can_preview(request.user, self.model):
            return False
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def with_preview_fields(self, request, obj, fieldsets: list) -> list:
        """``fieldsets`` with the checker's hidden result and the confirmation box in the
        publishing section, where the panel is shown."""
        # The form declares them, so a form without fieldsets of its own lists them anywhere.
        fieldsets = [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in (REPORT, CONFIRM)]})
            for name, opts in fieldsets
        ]
        if not self.has_live_preview(request, obj):
            return fieldsets
        return [
            (name, {**opts, "fields": [*opts["fields"], REPORT, CONFIRM]})
            if name == "Publishing"
            else (name, opts)
            for name, opts in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The checker's two fields are form fields, not model fields: they are taken out of
        # the fields Django would read from the fieldsets (when none are given; Django's own
        # get_fields asks with fields=None, which is left alone).
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        fields = kwargs.get("fields")
        if fields:
            kwargs["fields"] = [f for f in fields if f not in (REPORT, CONFIRM)]
        form = super().get_form(request, obj, change, **kwargs)
        if not self.has_live_preview(request, obj):
            return form
        info = self.opts.app_label, self.opts.model_name
        if obj is None:
            url = reverse("admin:{}_{}_preview_add".format(*info))
        else:
            url = reverse("admin:{}_{}_preview".format(*info), args=[obj.pk])
        attrs = {
            REPORT: forms.CharField(
                required=False, widget=PreviewPanelInput(preview_url=url), label="Checker result"
            ),
            CONFIRM: forms.BooleanField(required=False, label="Publish despite the problems"),
        }
        return type(form.__name__, (AccessibilityConfirmFormMixin, form), attrs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.live_preview_view)
        return [
            path("add/preview/", view, name="{}_{}_preview_add".format(*info)),
            path("<path:object_id>/preview/", view, name="{}_{}_preview".format(*info)),
            *super().get_urls(),
        ]

    def live_preview_view(self, request, object_id=None):
        """The public page of the posted (unsaved) form, as HTML for the panel's frame."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
        if not self.has_live_preview(request, obj):
            raise PermissionDenied
        # A preview saves nothing, files included: an upload shows once the item is saved.
        request.POST  # noqa: B018 (parsed first: the uploads are dropped, not refused)
        request._files = MultiValueDict()
        zone = self.edit_zone(request, object_id)
        if zone is None:
            response = self._render_preview(request, obj)
        else:
            with timezone.override(zone):
                response = self._render_preview(request, obj)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def _render_preview(self, request, obj) -> HttpResponse:
        change = obj is not None
        fieldsets = self.get_fieldsets(request, obj)
        model_form = self.get_form(request, obj, change=change, fields=flatten_fieldsets(fieldsets))
        form = model_form(request.POST, request.FILES, instance=obj)
        form.needs_confirmation = False  # asked when publishing, not when looking
        formsets, inlines = self._create_formsets(request, form.instance, change=change)
        errors: list[tuple[str, list[str]]] = []
        try:
            with previews.rolled_back():
                form_valid = form.is_valid()
                if form_valid and all_valid(formsets):
                    item = self.save_form(request, form, change=change)
                    if not change:
                        item.created_by = request.user
                    item.save()
                    form.save_m2m()
                    for formset in formsets:
                        formset.save()
                    return previews.render_item(request, item)
                errors = _form_errors(form, formsets, inlines)
        except DatabaseError as exc:
            errors = [("", [f"The database refused these values: {exc}"])]
        except Exception:  # a preview must not fail the page: the editor is told instead
            logger.exception("Live preview of %s failed", self.opts.label)
            errors = [("", ["This page cannot be previewed as the form stands."])]
        html = render_to_string(
            "admin/editorial/live_preview_errors.html", {"errors": errors}, request=request
        )
        return HttpResponse(html)


def _form_errors(form, formsets, inlines) -> list[tuple[str, list[str]]]:
    """The form's and its inline rows' errors, by the label an editor sees."""
    errors = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label or name) if field is not None else ""
        if name == "__all__":
            label = ""
        errors.append((label, [str(m) for m in messages]))
    for formset, inline in zip(formsets, inlines, strict=False):
        title = str(inline.verbose_name_plural or formset.model._meta.verbose_name_plural)
        for message in formset.non_form_errors():
            errors.append((title, [str(message)]))
        for number, row_errors in enumerate(formset.errors, start=1):
            for name, messages in row_errors.items():
                field = formset.forms[number - 1].fields.get(name)
                label = str(field.label) if field is not None and name != "__all__" else ""
                where = f"{title}, row {number}" + (f": {label}" if label else "")
                errors.append((where, [str(m) for m in messages]))
    return errors
