"""Review comments: editors and authors discuss an item (or one field of it) in the admin.

A comment is attached to any content item through a generic relation (content type and
primary key), optionally names one of the item's fields, and may answer another comment: one
level of threading, so a reply to a reply joins the thread of the first comment. A thread is
resolved (and reopened) as a whole, on its first comment.

Comments are staff-only working notes: no public page, feed, API or search reads this table,
and the admin shows an item's comments only to those who may view the item there
(``core.admin.reviews``). The text is plain text, escaped wherever it is shown.

The writes are the functions below; posting a comment tells the people involved by e-mail
(``core.notifications``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

COMMENT_MAX_LENGTH = 4000


class CommentQuerySet(models.QuerySet):
    def on(self, item: models.Model) -> CommentQuerySet:
        """The comments on ``item``."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
        )

    def threads(self) -> CommentQuerySet:
        """First comments of threads (replies hang from them)."""
        return self.filter(parent__isnull=True)

    def open(self) -> CommentQuerySet:
        return self.filter(resolved_at__isnull=True)


class Comment(models.Model):
    """A reviewer's or author's note on an item, or a reply to one."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    #: The name of the form field the comment is about; empty: the item as a whole.
    field_name = models.CharField("field", max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "review comment"
        indexes = [
            # An item's comments on its change form: WHERE content_type = … AND object_id = ….
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="comment_item_idx"
            ),
            # The dashboard's open threads: WHERE parent IS NULL AND resolved_at IS NULL.
            models.Index(fields=["parent", "resolved_at"], name="comment_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | models.Q(parent__isnull=True),
                name="comment_only_threads_are_resolved",
                violation_error_message="A reply is resolved with its thread.",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


def add_comment(
    *, item: models.Model, by, text: str, field_name: str = "", reply_to: Comment | None = None
) -> Comment:
    """Write a comment on ``item`` (a reply when ``reply_to`` is given) and tell the others.

    A reply joins the thread of ``reply_to`` (one level) and takes its field; replying to a
    resolved thread reopens it.
    """
    from core import notifications

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write a comment first."})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError({"text": f"A comment has at most {COMMENT_MAX_LENGTH} characters."})
    parent = None
    if reply_to is not None:
        parent = reply_to.parent or reply_to
        if parent.content_type_id != ContentType.objects.get_for_model(item).pk or str(
            parent.object_id
        ) != str(item.pk):
            raise ValidationError("A reply belongs to a comment on the same item.")
        field_name = parent.field_name
    with transaction.atomic():
        comment = Comment.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=str(item.pk),
            field_name=field_name,
            parent=parent,
            author=by,
            text=text,
        )
        if parent is not None and parent.is_resolved:
            reopen(comment=parent, by=by)
        notifications.comment_posted(comment=comment, item=item)
    return comment


def resolve(*, comment: Comment, by) -> Comment:
    """Mark a thread done (a reply resolves the thread it belongs to)."""
    thread = comment.parent or comment
    if not thread.is_resolved:
        thread.resolved_at, thread.resolved_by = timezone.now(), by
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def reopen(*, comment: Comment, by) -> Comment:
    """Open a resolved thread again."""
    thread = comment.parent or comment
    if thread.is_resolved:
        thread.resolved_at, thread.resolved_by = None, None
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def threads_of(item: models.Model) -> list[Comment]:
    """The threads on ``item``, open ones first, each with ``replies_list``, in one query."""
    comments = list(Comment.objects.on(item).select_related("author", "resolved_by"))
    threads = [c for c in comments if c.parent_id is None]
    by_pk = {c.pk: c for c in threads}
    for thread in threads:
        thread.replies_list = []
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_pk:
            by_pk[comment.parent_id].replies_list.append(comment)
    return sorted(threads, key=lambda t: t.is_resolved)
