"""Revisions: history, revert and recover (django-reversion), audited, and a comparison of two
revisions field by field."""

from __future__ import annotations

from datetime import datetime

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

from core import workflow
from core.admin.choices import SearchableChoicesMixin
from core.admin.inlines import FORMFIELD_OVERRIDES
from core.admin.library import LibraryChoosersMixin


class EditorialVersionAdmin(LibraryChoosersMixin, SearchableChoicesMixin, VersionAdmin):
    """Base admin for content kept in revisions (history, revert, recover); images and
    documents are chosen from the media library, long lists of choices searched as you type."""

    formfield_overrides = FORMFIELD_OVERRIDES
    history_latest_first = True


class HistoryMixin:
    """Audited revert and recover, a history list that links to a comparison."""

    object_history_template = "admin/editorial/object_history.html"
    compare_template = "admin/editorial/compare.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "_editorial_reverting", False):
            # A revert restores an older version on purpose: no conflict with the newer one.
            form = type(form.__name__, (form,), {"check_conflicts": False})
        return form

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request._editorial_reverting = True
        # The form shows the old version; the workflow judges a state change from the item's
        # state now, so a revert cannot publish (or unpublish) what its user may not.
        current = self.model._default_manager.filter(pk=unquote(object_id)).first()
        request._workflow_state = current.status if current is not None else None
        response = super().revision_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = Version.objects.select_related("revision").get(pk=version_id)
            item = self.model._default_manager.filter(pk=unquote(object_id)).first()
            if item is not None:
                when = localize(timezone.localtime(version.revision.date_created))
                workflow.record_action(
                    item=item, by=request.user, message=f"Reverted to the version of {when}."
                )
        return response

    def recover_view(self, request, version_id, extra_context=None):
        request._editorial_reverting = True
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = Version.objects.get(pk=version_id)
            item = self.model._default_manager.filter(pk=version.object_id).first()
            if item is not None:
                workflow.record_action(item=item, by=request.user, message="Recovered.")
        return response

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        versions = Version.objects.get_for_object_reference(
            self.model, unquote(object_id)
        ).select_related("revision__user")
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
            }
            for version in versions.order_by("-pk")
        ]
        context = {
            "action_list": action_list,
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare",
                args=(object_id,),
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """Two revisions of one item side by side, field by field, differences marked."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        versions = Version.objects.get_for_object_reference(self.model, object_id)
        older = get_object_or_404(
            versions.select_related("revision__user"), pk=request.GET.get("a")
        )
        newer = get_object_or_404(
            versions.select_related("revision__user"), pk=request.GET.get("b")
        )
        if older.pk > newer.pk:
            older, newer = newer, older
        rows = []
        for field in self.model._meta.get_fields():
            if not getattr(field, "editable", False) or not (field.concrete or field.many_to_many):
                continue
            key = field.attname
            if key not in older.field_dict and key not in newer.field_dict:
                continue
            a = _display(field, older.field_dict.get(key))
            b = _display(field, newer.field_dict.get(key))
            rows.append({"label": capfirst(field.verbose_name), "a": a, "b": b, "changed": a != b})

        def related(version):
            return sorted(
                f"{capfirst(v.content_type.name)}: {v.object_repr}"
                for v in version.revision.version_set.select_related("content_type")
                if v.pk != version.pk
            )

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Compare revisions of {older.object_repr}",
            "older": older,
            "newer": newer,
            "rows": rows,
            "related_older": related(older),
            "related_newer": related(newer),
            "object_id": object_id,
        }
        return TemplateResponse(request, self.compare_template, context)


def _display(field: models.Field, value) -> str:
    if value is None:
        return "—"
    if field.choices and not field.many_to_many:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in sorted(value, key=str)) or "—"
    if isinstance(value, datetime):
        return localize(timezone.localtime(value))
    return str(value) if value != "" else "—"
