"""Writes that do more than save a form: partner session submissions.

A partner submits a side session for a published event. It is created through the workflow
(``core.workflow.create``) straight into *in review*, attributed to the partner's organisation,
and lands in the editors' queue. It has no ``created_by``: no user of ours wrote it, and the
organisation that submitted it (``submitted_by``) is the one that may change or withdraw it,
until an editor publishes or rejects it (``core.workflow.may_partner_change``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from core import workflow
from core.models import PartnerKey
from core.publishing import Status
from core.slugs import create_with_unique_slug

from .models import Event, Organisation, Person, Session, SessionParticipant


class SubmissionClosed(Exception):
    """The submission has been published or rejected; the partner can no longer change it."""


@dataclass
class SpeakerData:
    """A speaker on a submitted session: an existing person, or a new name for editors to check."""

    person: Person | None = None
    name: str = ""
    role: str = SessionParticipant.Role.SPEAKER
    affiliation_text: str = ""


@dataclass
class SessionSubmission:
    """What a partner may set on a side session (already validated by the API)."""

    title: str
    start: datetime
    end: datetime
    event: Event | None = None
    kind: str = Session.Kind.SIDE_EVENT
    summary: str = ""
    description: str = ""
    room: str = ""
    online_url: str = ""
    hosts: list[Organisation] = field(default_factory=list)
    speakers: list[SpeakerData] = field(default_factory=list)


def _in_review(item):
    """Store a new item a partner sent: in review, owned by no user (see core.workflow)."""
    return workflow.create(item=item, by=None, state=Status.REVIEW)


def _new_speaker(name: str) -> Person:
    """A person named by a partner: kept in review until an editor checks and publishes them."""
    return create_with_unique_slug(Person, slug_from=name, name=name.strip(), save=_in_review)


def _set_speakers(session: Session, speakers: list[SpeakerData]) -> None:
    session.appearances.all().delete()
    seen = set()
    for order, speaker in enumerate(speakers):
        person = speaker.person or _new_speaker(speaker.name)
        if (person.pk, speaker.role) in seen:
            continue
        seen.add((person.pk, speaker.role))
        SessionParticipant.objects.create(
            session=session,
            person=person,
            role=speaker.role,
            affiliation_text=speaker.affiliation_text,
            order=order,
        )


@transaction.atomic
def submit_side_session(*, partner_key: PartnerKey, data: SessionSubmission) -> Session:
    """Create a side session in review for a published event, attributed to the partner."""
    if data.event is None or not Event.objects.published().filter(pk=data.event.pk).exists():
        raise ValueError("A side session can only be submitted for a published event.")
    session = create_with_unique_slug(
        Session,
        slug_from=data.title,
        scope={"event": data.event},
        save=_in_review,
        title=data.title,
        kind=data.kind,
        programme=Session.Programme.SIDE,
        start=data.start,
        end=data.end,
        room=data.room,
        online_url=data.online_url,
        summary=data.summary,
        description=data.description,
        submitted_by=partner_key.organisation,
    )
    session.hosts.set(data.hosts)
    _set_speakers(session, data.speakers)
    return session


def _check_open(*, partner_key: PartnerKey, session: Session) -> None:
    if session.submitted_by_id != partner_key.organisation_id:
        raise PermissionError("This session was not submitted by this partner.")
    if not workflow.may_partner_change(session):
        raise SubmissionClosed(
            f"This submission is {session.get_status_display().lower()} and can no longer change."
        )


@transaction.atomic
def update_side_session(
    *, partner_key: PartnerKey, session: Session, changes: dict[str, object]
) -> Session:
    """Apply a partner's changes to its own submission while it is still in review.

    ``changes`` holds only the fields being changed, named as in :class:`SessionSubmission`.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    _check_open(partner_key=partner_key, session=session)
    hosts = changes.pop("hosts", None)
    speakers = changes.pop("speakers", None)
    allowed = {"title", "kind", "summary", "description", "room", "online_url", "start", "end"}
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed on a submission.")
        setattr(session, name, value)
    session.save()
    if hosts is not None:
        session.hosts.set(hosts)
    if speakers is not None:
        _set_speakers(session, speakers)
    return session


@transaction.atomic
def withdraw_side_session(*, partner_key: PartnerKey, session: Session) -> None:
    """Delete a submission the partner no longer wants, while it is still in review."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    _check_open(partner_key=partner_key, session=session)
    session.delete()
