"""The spreadsheets of initiatives and their signatories (see ``core.spreadsheets``)."""

from __future__ import annotations

from import_export import fields

from core.spreadsheets import SlugsWidget, SlugWidget, SpreadsheetResource
from events.models import Session

from .models import Initiative, Signatory


class SessionKeyWidget(SlugWidget):
    """A session by ``event-slug/session-slug`` (a session's slug is unique in its event)."""

    def __init__(self, **kwargs):
        super().__init__(Session, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Session.objects.all()

    def get_lookup_kwargs(self, value, row, **kwargs):
        event, _, slug = str(value).partition("/")
        return {"event__slug": event, "slug": slug}

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else session_key(value)


class SessionKeysWidget(SlugsWidget):
    """Several sessions, each as ``event-slug/session-slug``."""

    def __init__(self, **kwargs):
        super().__init__(Session, **kwargs)

    def lookup(self, keys, row):
        events = {key.partition("/")[0] for key in keys}
        found = Session.objects.filter(event__slug__in=events).select_related("event")
        return {key: s for s in found if (key := session_key(s)) in keys}

    def key_of(self, obj) -> str:
        return session_key(obj)


def session_key(session: Session) -> str:
    return f"{session.event.slug}/{session.slug}"


class InitiativeResource(SpreadsheetResource):
    export_select_related = ("announced_at", "announced_in__event", "part_of")
    export_prefetch_related = ("related_sessions__event",)

    announced_in = fields.Field(
        attribute="announced_in", column_name="announced_in", widget=SessionKeyWidget()
    )
    related_sessions = fields.Field(
        attribute="related_sessions", column_name="related_sessions", widget=SessionKeysWidget()
    )

    class Meta:
        model = Initiative
        fields = (
            "slug", "title", "short_title", "kind", "initiative_status", "summary",
            "description", "announced_on", "announced_at", "announced_in", "part_of",
            "lead_organisations", "partner_organisations", "people", "jurisdictions",
            "amount", "currency", "amount_qualifier", "amount_note", "reported_signatory_count",
            "builds_on", "topics", "related_sessions", "website", "status",
        )  # fmt: skip
        import_id_fields = ("slug",)
        name = "Initiatives"


class SignatoryResource(SpreadsheetResource):
    """Signatories, found by their initiative's slug and their organisation's slug or their
    country's code; they are public with their initiative, so they follow its state."""

    parent_field = "initiative"
    optional_key_columns = ("organisation", "country")
    export_select_related = ("initiative", "organisation", "statement_person")

    class Meta:
        model = Signatory
        fields = (
            "initiative", "organisation", "country", "stance", "date", "statement",
            "statement_by", "statement_person", "source_url", "order",
        )  # fmt: skip
        import_id_fields = ("initiative", "organisation", "country")
        name = "Signatories"
