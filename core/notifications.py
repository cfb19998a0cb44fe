"""E-mail to the people involved in an item when it is sent for review, commented on, published
or rejected.

The people involved are the item's author (``created_by``) and everyone who commented on it;
when it is sent for review, the Editors group too (they review). The person who acted is never
told of their own act, nor is anyone without an e-mail address or whose account is inactive.

Moves reach this module through one hook, the ``core.workflow.transitioned`` signal (sent after
the commit of every saved move, whichever path made it); comments through
``core.comments.add_comment``. Mail goes through Django's e-mail backend (the console in the
demo, ``EMAIL_BACKEND``); a failure to send is logged and never undoes or fails the act.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

from core import workflow
from core.workflow import Status

logger = logging.getLogger(__name__)

#: The moves that are told, with the words of their subject line.
TOLD_MOVES = {
    Status.REVIEW: "was sent for review",
    Status.PUBLISHED: "was published",
    Status.REJECTED: "was rejected",
}


def admin_url(item: models.Model) -> str:
    opts = item._meta
    try:
        path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(item.pk)])
    except NoReverseMatch:
        return ""
    return f"{settings.SITE_URL}{path}"


def involved(item: models.Model, *, editors: bool = False) -> models.QuerySet:
    """The users involved in ``item``: its author, its commenters and (``editors``) the Editors."""
    from core.comments import Comment

    commenters = Comment.objects.on(item).values("author_id")
    wanted = models.Q(pk__in=commenters)
    if getattr(item, "created_by_id", None):
        wanted |= models.Q(pk=item.created_by_id)
    if editors:
        wanted |= models.Q(groups__name=workflow.EDITORS)
    return get_user_model().objects.filter(wanted, is_active=True).exclude(email="").distinct()


def send(*, recipients: Iterable, actor, subject: str, body: str) -> int:
    """One message to each recipient but the actor; returns how many were sent, never raises."""
    addresses = sorted({u.email for u in recipients if not actor or u.pk != actor.pk})
    if not addresses:
        return 0
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("Could not send “%s” to %d people", subject, len(messages))
        return 0


def _who(user) -> str:
    return user.get_username() if user else "A partner's submission"


@receiver(workflow.transitioned, dispatch_uid="core.notifications.moved")
def item_moved(sender, *, item, by, source, target, **kwargs) -> None:
    """Tell the people involved that ``item`` was sent for review, published or rejected."""
    what = TOLD_MOVES.get(target)
    if what is None or (target == Status.PUBLISHED and source == Status.PUBLISHED):
        return
    kind = item._meta.verbose_name
    lines = [f"{_who(by)} moved the {kind} “{item}” from {Status(source).label.lower()} to "
             f"{Status(target).label.lower()}."]  # fmt: skip
    if target == Status.PUBLISHED and item.publish_at and not item.is_published:
        lines.append(f"It goes live at {item.publish_at.isoformat()}.")
    lines += ["", f"Open it: {admin_url(item)}"]
    send(
        recipients=involved(item, editors=target == Status.REVIEW),
        actor=by,
        subject=f"[{settings.SITE_NAME}] {kind.capitalize()} “{item}” {what}",
        body="\n".join(lines),
    )


def comment_posted(*, comment, item: models.Model) -> None:
    """After the commit: tell the people involved in ``item`` of a new comment on it."""
    kind = item._meta.verbose_name
    on = f" on the field “{comment.field_name}”" if comment.field_name else ""
    verb = "replied" if comment.parent_id else "commented"
    body = (
        f"{_who(comment.author)} {verb}{on} on the {kind} “{item}”:\n\n{comment.text}\n\n"
        f"Open it: {admin_url(item)}"
    )

    def deliver() -> None:
        send(
            recipients=involved(item),
            actor=comment.author,
            subject=f"[{settings.SITE_NAME}] New comment on the {kind} “{item}”",
            body=body,
        )

    transaction.on_commit(deliver)
