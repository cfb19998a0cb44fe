"""Review comments, edit locks and presence on the change form of every publishable item.

The change form shows, above the form, who holds the item's lock (with *Lock*, *Unlock* or
*Break lock*) and who else has it open; below it, the comment threads, open ones first, with
*Reply*, *Resolve* or *Reopen*, and a form to add a comment on the item or on one of the form's
fields (a comment on a field is also flagged next to that field, by ``review.js``). Each
button posts to a small view of this admin, which checks that the user may view the item (to
comment) or change it (to lock), calls ``core.comments`` or ``core.locking`` and returns to
the form.

While another editor holds the lock, the form has no save buttons and a save sent anyway is
refused by the form with the reason; so is a bulk workflow action on the item.

The templates (``admin/editorial/change_form.html`` and the two panels it includes) extend the
standard admin blocks only, so that an admin theme can restyle them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from core import comments, locking

CHANGE_FORM_TEMPLATE = "admin/editorial/change_form.html"


class LockCheckedForm:
    """Refuses to save an item whose lock someone else holds (``lock_user`` set by the admin)."""

    lock_user = None

    def clean(self):
        cleaned = super().clean()
        if self.lock_user is not None and not self.instance._state.adding:
            reason = locking.refusal(self.instance, self.lock_user)
            if reason:
                raise ValidationError(reason, code="locked")
        return cleaned


class ReviewMixin:
    """For a ``ModelAdmin`` of a publishable model: comments, locks and presence."""

    # --- The change form ---

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (LockCheckedForm, form), {"lock_user": request.user})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if not self.change_form_template:
            opts = self.model._meta
            # A model's own change form (admin/<app>/<model>/change_form.html) extends ours.
            self.change_form_template = select_template(
                [
                    f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
                    f"admin/{opts.app_label}/change_form.html",
                    CHANGE_FORM_TEMPLATE,
                ]
            ).template.name
        if obj is not None and obj.pk is not None and not add:
            context.update(self.review_context(request, obj, context))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_context(self, request, obj, context) -> dict:
        lock = locking.current_lock(obj)
        locking.seen(item=obj, by=request.user)
        locked_by_other = lock is not None and lock.user_id != request.user.pk
        form = context.get("adminform").form if context.get("adminform") else None
        fields = [
            (name, capfirst(str(field.label or name)))
            for name, field in (form.fields.items() if form else [])
            if not field.widget.is_hidden
        ]
        labels = dict(fields)
        threads = comments.threads_of(obj)
        for thread in threads:
            thread.field_label = labels.get(thread.field_name, thread.field_name)
        extra = {
            "review": {
                "lock": lock,
                "locked_by_other": locked_by_other,
                "may_lock": self.has_change_permission(request, obj) and not locked_by_other,
                "may_break": locked_by_other and locking.may_break(request.user),
                "others": locking.others_present(item=obj, user=request.user),
                "threads": threads,
                "open_count": sum(1 for t in threads if not t.is_resolved),
                "fields": fields,
                "urls": self._review_urls(obj),
                "ping_seconds": locking.PRESENCE_PING_SECONDS,
            }
        }
        if locked_by_other:
            extra.update(
                show_save=False, show_save_and_continue=False, show_save_and_add_another=False
            )
        return extra

    def _review_urls(self, obj) -> dict:
        info = self.admin_site.name, self.model._meta.app_label, self.model._meta.model_name
        pk = quote(obj.pk)
        return {
            name: reverse("{}:{}_{}_review_{}".format(*info, name), args=[pk])
            for name in ("comment", "lock", "unlock", "break", "presence")
        }

    # --- The views the panels post to ---

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        views = [
            ("comment", self.comment_view),
            ("lock", self.lock_view),
            ("unlock", self.unlock_view),
            ("break", self.break_lock_view),
            ("presence", self.presence_view),
        ]
        return [
            *(
                path(
                    f"<path:object_id>/review/{name}/",
                    self.admin_site.admin_view(require_POST(view)),
                    name="{}_{}_review_{}".format(*info, name),
                )
                for name, view in views
            ),
            *super().get_urls(),
        ]

    def _item(self, request, object_id, *, change: bool = False):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, obj)
            if change
            else self.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def _back(self, obj, anchor: str = "") -> HttpResponseRedirect:
        opts = self.model._meta
        url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[quote(obj.pk)],
        )
        return HttpResponseRedirect(url + anchor)

    def comment_view(self, request, object_id):
        """Add a comment or a reply, or resolve or reopen a thread (``action``)."""
        obj = self._item(request, object_id)
        action = request.POST.get("action", "add")
        target = None
        if request.POST.get("comment"):
            target = comments.Comment.objects.on(obj).filter(pk=request.POST["comment"]).first()
            if target is None:
                raise Http404
        if action in ("resolve", "reopen"):
            if target is None:
                raise Http404
            thread = getattr(comments, action)(comment=target, by=request.user)
            done = "resolved" if action == "resolve" else "reopened"
            self.message_user(request, f"The comment thread was {done}.", messages.SUCCESS)
            return self._back(obj, f"#comment-{thread.pk}")
        field = request.POST.get("field", "")
        # The fields of the form the editor saw (as the change view builds it).
        fieldsets = self.get_fieldsets(request, obj)
        form = self.get_form(request, obj, change=True, fields=flatten_fieldsets(fieldsets))
        if field and field not in form.base_fields:
            field = ""
        try:
            comment = comments.add_comment(
                item=obj, by=request.user, text=request.POST.get("text", ""),
                field_name=field, reply_to=target,
            )  # fmt: skip
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return self._back(obj, "#review-comments")
        self.message_user(request, "Your comment was added.", messages.SUCCESS)
        return self._back(obj, f"#comment-{comment.pk}")

    def lock_view(self, request, object_id):
        obj = self._item(request, object_id, change=True)
        try:
            lock = locking.acquire(item=obj, by=request.user)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            until = localize(timezone.localtime(lock.expires_at))
            self.message_user(
                request,
                f"You have locked this {obj._meta.verbose_name} until {until}: others can read "
                "it but not save it until you unlock it.",
                messages.SUCCESS,
            )
        return self._back(obj)

    def unlock_view(self, request, object_id):
        obj = self._item(request, object_id)
        if locking.release(item=obj, by=request.user):
            self.message_user(request, "The lock was removed.", messages.SUCCESS)
        return self._back(obj)

    def break_lock_view(self, request, object_id):
        obj = self._item(request, object_id)
        lock = locking.break_lock(item=obj, by=request.user)
        if lock is not None:
            self.message_user(
                request, f"You broke {lock.user.get_username()}'s lock.", messages.SUCCESS
            )
        return self._back(obj)

    def presence_view(self, request, object_id):
        """The heartbeat of an open change form: records the user, answers who else is here."""
        obj = self._item(request, object_id)
        if request.POST.get("left"):
            locking.left(item=obj, by=request.user)
            return JsonResponse({"others": []})
        locking.seen(item=obj, by=request.user)
        lock = locking.current_lock(obj)
        return JsonResponse(
            {
                "others": [p.username for p in locking.others_present(item=obj, user=request.user)],
                "lock": None
                if lock is None
                else {"user": lock.user.get_username(), "since": lock.locked_at.isoformat()},
            }
        )

    # --- Bulk actions ---

    def _transition(self, request, queryset, transition, done: str) -> None:
        """Leave out the items someone else has locked, saying so."""
        allowed = []
        for item in queryset:
            reason = locking.refusal(item, request.user)
            if reason:
                self.message_user(request, f"{item}: {reason}", messages.WARNING)
            else:
                allowed.append(item)
        super()._transition(request, allowed, transition, done)
