"""Writes that do more than save a form: editorial transitions, partner API keys and partner
session submissions.

Editorial transitions (publish, archive, reject, …) check the actor's role, save a revision
and write the audit trail; the admin's actions and forms call them.

Partner keys look like ``<prefix>.<secret>``. The prefix finds the key; only a SHA-256
hash of the secret is stored, so a leaked database does not leak usable keys.

A partner submits a side session for a published event. It is saved *in review*,
attributed to the partner's organisation, and lands in the editors' queue. The partner
may change or withdraw it until an editor publishes or rejects it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Event, Organisation, PartnerKey, Person, Session, SessionParticipant
from .publishing import Publishable, Status

PREFIX_LENGTH = 8
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_partner_key(
    *,
    organisation: Organisation,
    name: str,
    created_by=None,
    expires_at: datetime | None = None,
    can_submit: bool = False,
) -> tuple[PartnerKey, str]:
    """Create a key and return it with the raw key, which is shown once and never stored.

    Keys read only unless ``can_submit`` lets them submit side sessions too.
    """
    while True:
        prefix = secrets.token_urlsafe(6)[:PREFIX_LENGTH]
        # A prefix with a dot would make the key ambiguous to split.
        if "." not in prefix and not PartnerKey.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    key = PartnerKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        hashed_secret=_hash_secret(secret),
        created_by=created_by,
        expires_at=expires_at,
        can_submit=can_submit,
    )
    return key, f"{prefix}.{secret}"


def verify_partner_key(raw: str) -> PartnerKey | None:
    """The active key that ``raw`` stands for, or None if it is unknown, revoked or expired."""
    prefix, sep, secret = (raw or "").strip().partition(".")
    if not sep or not prefix or not secret or len(prefix) > PREFIX_LENGTH:
        return None
    key = PartnerKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if key is None:
        # Compare anyway so that unknown prefixes take as long as wrong secrets.
        hmac.compare_digest(_hash_secret(secret), _hash_secret(""))
        return None
    if not hmac.compare_digest(key.hashed_secret, _hash_secret(secret)):
        return None
    if not key.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRANULARITY:
        PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def revoke_partner_keys(*, keys) -> int:
    """Revoke the given keys (a queryset) that are not revoked yet; return how many were."""
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


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


def _unique_slug(model, base: str, max_length: int, **scope) -> str:
    base = (slugify(base) or "item")[: max_length - 6].strip("-") or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug, **scope).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _new_speaker(name: str) -> Person:
    """A person named by a partner: kept in review until an editor checks and publishes them."""
    return Person.objects.create(
        name=name.strip(),
        slug=_unique_slug(Person, name, 200),
        status=Status.REVIEW,
    )


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
    session = Session.objects.create(
        event=data.event,
        title=data.title,
        slug=_unique_slug(Session, data.title, 200, event=data.event),
        kind=data.kind,
        programme=Session.Programme.SIDE,
        start=data.start,
        end=data.end,
        room=data.room,
        online_url=data.online_url,
        summary=data.summary,
        description=data.description,
        status=Status.REVIEW,
        submitted_by=partner_key.organisation,
    )
    session.hosts.set(data.hosts)
    _set_speakers(session, data.speakers)
    return session


def _check_open(*, partner_key: PartnerKey, session: Session) -> None:
    if session.submitted_by_id != partner_key.organisation_id:
        raise PermissionError("This session was not submitted by this partner.")
    if session.status != Status.REVIEW:
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


# --- Editorial workflow ----------------------------------------------------------------------
#
# Items move draft → in review → published → archived; editors may also reject an item in
# review (it goes back to its author) or return anything to draft. Every transition is made by
# one of the functions below, which check the actor's role, save the item as a revision and
# write an admin LogEntry, so the audit trail ("who published what, when") is the admin log.

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"

#: States a contributor may put an item into (through the form or by sending it for review).
CONTRIBUTOR_STATES = (Status.DRAFT, Status.REVIEW)
#: States in which an item still belongs to its author, who may keep editing it.
AUTHOR_EDITABLE_STATES = (Status.DRAFT, Status.REJECTED)


def is_editor(user) -> bool:
    """True for superusers and members of the Editors or Administrators groups.

    Editors review, publish, schedule, archive and reject anything; everyone else with access
    to the admin is treated as a contributor. The answer is kept on the user object so that a
    request asks the database once.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name__in=(EDITORS, ADMINISTRATORS)).exists()
        user._is_editor = cached
    return cached


def created_by(item: models.Model):
    """The user who created ``item`` in the admin, or None (created by the API or a loader).

    Ownership is read from the admin's own record of the addition (LogEntry, action ADDITION)
    rather than from a model field: every item added in the admin has one, it can be looked up
    for many items in one query (see ``owned_ids``), and no content table needs a column.
    """

    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            object_id=str(item.pk),
            action_flag=ADDITION,
        )
        .select_related("user")
        .order_by("action_time")
        .first()
    )
    return entry.user if entry else None


def owned_ids(user, models_: list[type[models.Model]]) -> dict[type[models.Model], set[str]]:
    """The primary keys (as strings) of the items of ``models_`` that ``user`` created."""

    content_types = ContentType.objects.get_for_models(*models_, for_concrete_models=False)
    by_ct = {ct.pk: model for model, ct in content_types.items()}
    result: dict[type[models.Model], set[str]] = {model: set() for model in models_}
    rows = LogEntry.objects.filter(
        user_id=user.pk, action_flag=ADDITION, content_type_id__in=list(by_ct)
    ).values_list("content_type_id", "object_id")
    for ct_id, object_id in rows:
        result[by_ct[ct_id]].add(object_id)
    return result


def can_edit(user, item: Publishable) -> bool:
    """Editors edit anything; contributors only their own drafts (and rejected items)."""
    if is_editor(user):
        return True
    if item.pk is None:
        return True
    if item.status not in AUTHOR_EDITABLE_STATES:
        return False
    owner = created_by(item)
    return owner is not None and owner.pk == user.pk


class TransitionError(ValidationError):
    """The item is not in a state from which this transition can be made."""


def record_action(*, item: models.Model, by, message: str) -> None:
    """Write an audit entry in the admin log for ``item``."""

    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[item], action_flag=CHANGE, change_message=message,
        single_object=True,
    )  # fmt: skip


def _require_editor(by, verb: str) -> None:
    if not is_editor(by):
        raise PermissionDenied(f"Only editors may {verb}.")


def _require_state(item: Publishable, allowed: tuple[str, ...], verb: str) -> None:
    if item.status not in allowed:
        raise TransitionError(
            f"“{item}” is {item.get_status_display().lower()}; it cannot be {verb}."
        )


def _save_transition(*, item: Publishable, by, message: str) -> Publishable:
    """Save the new state as a revision (when the model keeps them) and log it."""

    fields = ["status", "publish_at", "unpublish_at", "updated_at"]
    item.full_clean(exclude=[f.name for f in item._meta.fields if f.name not in fields])
    if reversion.is_registered(type(item)):
        with reversion.create_revision():
            item.save(update_fields=fields)
            reversion.set_user(by)
            reversion.set_comment(message)
    else:
        item.save(update_fields=fields)
    record_action(item=item, by=by, message=message)
    return item


def send_for_review(*, item: Publishable, by) -> Publishable:
    """A draft (or rejected item) goes to the editors; its author or an editor may send it."""
    _require_state(item, AUTHOR_EDITABLE_STATES, "sent for review")
    if not can_edit(by, item):
        raise PermissionDenied("Only its author or an editor may send this item for review.")
    item.status = Status.REVIEW
    return _save_transition(item=item, by=by, message="Sent for review.")


def publish(*, item: Publishable, by, at: datetime | None = None) -> Publishable:
    """Publish now, or at ``at`` when given (a scheduled publication)."""
    _require_editor(by, "publish")
    _require_state(item, (Status.DRAFT, Status.REVIEW, Status.PUBLISHED), "published")
    now = timezone.now()
    already_live = item.is_published
    item.status = Status.PUBLISHED
    # Publishing a live item again keeps its original publication time.
    item.publish_at = at or (item.publish_at if already_live else now)
    if item.unpublish_at and item.unpublish_at <= item.publish_at:
        item.unpublish_at = None
    if item.publish_at > now:
        message = f"Scheduled for publication at {item.publish_at.isoformat()}."
    else:
        message = "Published."
    return _save_transition(item=item, by=by, message=message)


def schedule(
    *, item: Publishable, by, publish_at: datetime, unpublish_at: datetime | None = None
) -> Publishable:
    """Publish from ``publish_at`` and, optionally, until ``unpublish_at``."""
    _require_editor(by, "schedule")
    _require_state(item, (Status.DRAFT, Status.REVIEW, Status.PUBLISHED), "scheduled")
    if unpublish_at and unpublish_at <= publish_at:
        raise ValidationError({"unpublish_at": "'Unpublish at' must come after 'publish at'."})
    item.status = Status.PUBLISHED
    item.publish_at = publish_at
    item.unpublish_at = unpublish_at
    until = f" until {unpublish_at.isoformat()}" if unpublish_at else ""
    message = f"Scheduled for publication at {publish_at.isoformat()}{until}."
    return _save_transition(item=item, by=by, message=message)


def archive(*, item: Publishable, by) -> Publishable:
    """Take a published item off the site while keeping it."""
    _require_editor(by, "archive")
    _require_state(item, (Status.PUBLISHED,), "archived")
    item.status = Status.ARCHIVED
    return _save_transition(item=item, by=by, message="Archived.")


def reject(*, item: Publishable, by, reason: str = "") -> Publishable:
    """Send an item in review back to its author."""
    _require_editor(by, "reject")
    _require_state(item, (Status.REVIEW,), "rejected")
    item.status = Status.REJECTED
    message = f"Rejected: {reason}" if reason else "Rejected."
    return _save_transition(item=item, by=by, message=message)


def return_to_draft(*, item: Publishable, by) -> Publishable:
    """Take an item off the site or out of review and make it a draft again."""
    _require_editor(by, "return items to draft")
    _require_state(
        item, (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED, Status.REJECTED), "made a draft"
    )
    item.status = Status.DRAFT
    return _save_transition(item=item, by=by, message="Returned to draft.")
