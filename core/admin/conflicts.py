"""No lost work: a change form refuses to overwrite a save made after it was opened.

The change form carries the item's ``updated_at`` as a hidden edit token. Checking it and
writing are one step: the form *claims* the row with ``UPDATE ... WHERE pk = %s AND
updated_at = <token>``, which changes nothing but takes the row's write lock for the rest of
the admin's transaction (the admin wraps every change form in one; on SQLite the lock is the
whole database's write lock). A second save of the same item waits on that lock, then finds
``updated_at`` moved on and matches no row, so exactly one of two concurrent saves wins and
the other is told who saved, when, and which fields they changed. A save without the token
is refused too, except for a revert or a recover, which restore an older version on purpose
(see ``core.admin.history``).

Why not django-concurrency: its version field checks every ``save()`` of the model, so the
workflow services, the API and the demo loader would each need to carry or disable it, and
every publishable table would gain a column; the one place where a person edits a stale copy
is this form, and ``updated_at`` already is the version.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from reversion.models import Version

from core.publishing import Publishable

UNCHECKED_SAVE_REFUSED = (
    "This form was sent without its edit token, so it cannot tell whether someone saved "
    "this %(item)s after you opened it; nothing was saved. Open the page again and make "
    "your changes there."
)


def claim_for_edit(item: Publishable, token: datetime) -> bool:
    """Lock ``item``'s row for the rest of the transaction if it is still as saved at ``token``.

    True when the row was claimed; False when someone saved it since (or deleted it). The
    comparison and the lock are one statement, so no save can slip in between them.
    """
    rows = type(item)._base_manager.filter(pk=item.pk, updated_at=token)
    return rows.update(updated_at=F("updated_at")) == 1


def _parse_token(raw: str) -> datetime | None:
    try:
        token = parse_datetime(raw or "")
    except ValueError:
        return None
    if token is not None and timezone.is_naive(token):
        token = token.replace(tzinfo=UTC)
    return token


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
    #: False for a revert or recover, which restore an older version on purpose.
    check_conflicts = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["edit_token"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if not self.check_conflicts or self.instance._state.adding:
            return cleaned
        token = _parse_token(self.data.get(self.add_prefix("edit_token"), ""))
        if token is None:
            raise ValidationError(
                UNCHECKED_SAVE_REFUSED,
                code="edit_token_missing",
                params={"item": self.instance._meta.verbose_name},
            )
        if not claim_for_edit(self.instance, token):
            raise ValidationError(self._conflict_message(since=token), code="edit_conflict")
        return cleaned

    def _conflict_message(self, *, since: datetime) -> str:
        # The instance was loaded when the request began and may predate the winning save.
        item = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
        if item is None:
            return (
                f"This {self.instance._meta.verbose_name} was deleted after you opened it, so "
                "your changes were not saved."
            )
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
