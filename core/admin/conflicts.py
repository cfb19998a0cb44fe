"""No lost work: a change form refuses to overwrite a save made after it was opened.

The change form carries the item's ``updated_at`` as a hidden token; if the stored value moved
on since the form was opened, the save is refused with who saved it, when, and which fields
they changed.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from reversion.models import Version

from core.publishing import Publishable


def _changed_fields(item: Publishable, since: datetime) -> list[str]:
    """Names of the fields of ``item`` that differ from its revision saved at ``since``."""
    versions = Version.objects.get_for_object(item)[:50]
    before = None
    for version in versions:
        stored = version.field_dict.get("updated_at")
        if stored is not None and abs((stored - since).total_seconds()) < 1e-3:
            before = version.field_dict
            break
    if before is None:
        return []
    changed = []
    for field in item._meta.get_fields():
        if not getattr(field, "editable", False) or field.name in ("updated_at", "created_at"):
            continue
        if field.many_to_many:
            if field.attname not in before:
                continue
            now = sorted(str(pk) for pk in getattr(item, field.name).values_list("pk", flat=True))
            then = sorted(str(pk) for pk in before[field.attname])
        elif field.concrete:
            now, then = getattr(item, field.attname), before.get(field.attname)
        else:
            continue
        if now != then:
            changed.append(str(field.verbose_name))
    return changed


class PublishableAdminForm(forms.ModelForm):
    """A model form that refuses to overwrite a save made after it was opened."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    check_conflicts = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["edit_token"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        token = parse_datetime(self.data.get(self.add_prefix("edit_token"), "") or "")
        stored = self.instance.updated_at if self.instance.pk else None
        if (
            self.check_conflicts
            and token
            and stored
            and abs((stored - token).total_seconds()) > 1e-3
        ):
            raise ValidationError(self._conflict_message(since=token), code="edit_conflict")
        return cleaned

    def _conflict_message(self, *, since: datetime) -> str:
        item = self.instance
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = entry.user.get_username() if entry else "Someone"
        when = localize(timezone.localtime(item.updated_at))
        fields = _changed_fields(item, since)
        changed = f" They changed: {', '.join(fields)}." if fields else ""
        return (
            f"{who} saved this {item._meta.verbose_name} at {when}, after you opened it, so "
            f"your changes were not saved.{changed} Open the page again to see their version, "
            "then make your changes again."
        )
