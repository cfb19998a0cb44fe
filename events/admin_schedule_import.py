"""The admin's "Import schedule" page: upload a frab or pretalx schedule, see what it would
change, then apply it.

The preview is a dry run of the import itself (``events.schedule_import``). The file travels
from the preview to "Apply" inside a signed form field, so nothing is stored in between; the
apply refuses (and shows the new preview) when the changes it would make are not the ones
previewed, because someone edited the programme meanwhile. Editors only.
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from core.publishing import Status

from .models import Event
from .schedule_import import (
    CREATE,
    ERROR,
    MAX_FILE_SIZE,
    UNCHANGED,
    UPDATE,
    ImportResult,
    ScheduleError,
    can_import_schedule,
    import_schedule,
    read_schedule,
)

SALT = "events.schedule-import"
#: How long a preview may be applied.
PREVIEW_MAX_AGE = 60 * 60


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(
        label="Schedule file",
        help_text="A schedule.json or schedule.xml exported by pretalx or frab.",
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-start"),
        required=False,
        empty_label="The schedule's own event (found by its acronym, or created as a draft)",
        help_text="The event whose programme the schedule fills in.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                f"The file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB."
            )
        content = upload.read()
        try:
            self.schedule = read_schedule(content)
        except ScheduleError as exc:
            raise forms.ValidationError(exc.messages) from None
        self.content = content
        return upload


class ScheduleImportMixin:
    """For the event admin: the import page, and its link on the changelist and on each
    event's page (which chooses that event)."""

    # Extends reversion's changelist (with its "Recover deleted" link), adding ours.
    change_list_template = "admin/events/event/change_list.html"

    def get_urls(self):
        return [
            path(
                "import-schedule/",
                self.admin_site.admin_view(self.import_schedule_view),
                name="events_event_import_schedule",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import_schedule": can_import_schedule(request.user)} | (
            extra_context or {}
        )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {"can_import_schedule": can_import_schedule(request.user)} | (
            extra_context or {}
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def import_schedule_view(self, request: HttpRequest) -> HttpResponse:
        if not can_import_schedule(request.user):
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self._apply(request)
        form = ScheduleUploadForm(
            request.POST or None,
            request.FILES or None,
            initial={"event": request.GET.get("event")},
        )
        if request.method == "POST" and form.is_valid():
            event = form.cleaned_data["event"]
            try:
                result = import_schedule(
                    schedule=form.schedule, event=event, by=request.user, dry_run=True
                )
            except ScheduleError as exc:
                form.add_error("file", exc.messages)
            else:
                payload = signing.dumps(
                    {
                        "content": base64.b64encode(form.content).decode(),
                        "name": form.cleaned_data["file"].name,
                        "event": event.pk if event else None,
                        "fingerprint": result.fingerprint(),
                    },
                    salt=SALT,
                    compress=True,
                )
                return self._preview(request, result, payload, form.cleaned_data["file"].name)
        return self._page(request, {"form": form})

    def _apply(self, request: HttpRequest) -> HttpResponse:
        try:
            data = signing.loads(request.POST["payload"], salt=SALT, max_age=PREVIEW_MAX_AGE)
        except signing.BadSignature:
            messages.error(
                request, "This preview has expired or was altered: upload the file again."
            )
            return HttpResponseRedirect(reverse("admin:events_event_import_schedule"))
        event = Event.objects.filter(pk=data["event"]).first() if data["event"] else None
        try:
            schedule = read_schedule(base64.b64decode(data["content"]))
            with transaction.atomic():
                result = import_schedule(schedule=schedule, event=event, by=request.user)
                if result.fingerprint() != data["fingerprint"]:
                    transaction.set_rollback(True)
                    result.dry_run = True
        except ScheduleError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("admin:events_event_import_schedule"))
        if result.dry_run:
            messages.warning(
                request,
                "The programme changed since the preview, so nothing was imported: "
                "check the changes again.",
            )
            data["fingerprint"] = result.fingerprint()
            payload = signing.dumps(data, salt=SALT, compress=True)
            return self._preview(request, result, payload, data["name"])
        counts = "; ".join(result.summary())
        messages.success(
            request,
            f"Imported {data['name']} into “{result.event.title}”: {counts}. "
            "New sessions and people are drafts: review and publish them.",
        )
        query = urlencode({"event__id__exact": result.event.pk, "status__exact": Status.DRAFT})
        return HttpResponseRedirect(f"{reverse('admin:events_session_changelist')}?{query}")

    def _preview(
        self, request: HttpRequest, result: ImportResult, payload: str, name: str
    ) -> HttpResponse:
        return self._page(
            request,
            {
                "result": result,
                "payload": payload,
                "file_name": name,
                "created": result.of(CREATE),
                "updated": result.of(UPDATE),
                "unchanged": result.of(UNCHANGED),
                "errors": result.of(ERROR),
            },
        )

    def _page(self, request: HttpRequest, context: dict) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/events/event/import_schedule.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Import a schedule",
                **context,
            },
        )
