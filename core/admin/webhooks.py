"""Partners' webhook endpoints and their delivery logs, for editors.

Editors see each endpoint's last status and why it was disabled, re-enable or pause it,
rotate its secret (shown once), register one for a partner, and replay deliveries.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from core.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from core.webhooks import delivery as deliveries
from core.webhooks import payloads, signing
from core.webhooks.targets import check_target
from core.webhooks.tasks import ensure_periodic_check


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    content_types = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every type.",
    )  # fmt: skip

    class Meta:
        model = WebhookEndpoint
        fields = ["organisation", "url", "description", "events", "content_types", "contact_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_types"].choices = [
            (name, name) for name in sorted(payloads.content_types())
        ]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_target(url)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = (
        "url",
        "organisation",
        "enabled",
        "last_status",
        "last_delivery_at",
        "consecutive_failures",
        "disabled_reason",
        "log",
    )
    list_select_related = ("organisation",)
    list_filter = ("enabled",)
    search_fields = ("url", "description", "organisation__name")
    autocomplete_fields = ("organisation",)
    actions = ["enable", "disable", "rotate_secret"]
    readonly_fields = (
        "created_by_key",
        "enabled",
        "disabled_at",
        "disabled_reason",
        "consecutive_failures",
        "last_delivery_at",
        "last_status_code",
        "last_error",
        "created_at",
        "updated_at",
    )

    @admin.display(description="last status")
    def last_status(self, obj: WebhookEndpoint) -> str:
        if obj.last_delivery_at is None:
            return "—"
        return str(obj.last_status_code or obj.last_error or "—")

    @admin.display(description="deliveries")
    def log(self, obj: WebhookEndpoint) -> str:
        url = reverse("admin:core_webhookdelivery_changelist") + f"?endpoint__id__exact={obj.pk}"
        return format_html('<a href="{}">Delivery log</a>', url)

    def changelist_view(self, request, extra_context=None):
        disabled = WebhookEndpoint.objects.filter(enabled=False).exclude(disabled_reason="")
        count = disabled.count()
        if count:
            messages.warning(
                request,
                f"{count} endpoint(s) are disabled (see “disabled reason”); re-enable them once "
                "their partner has fixed the receiver.",
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        with transaction.atomic():
            obj.secret = signing.new_secret()
            super().save_model(request, obj, form, change)
            ensure_periodic_check()
        messages.warning(
            request,
            f"The signing secret of this endpoint is {obj.secret} — give it to the partner now; "
            "it is not shown again (rotate it to issue a new one).",
        )

    @admin.action(description="Re-enable selected endpoints", permissions=["change"])
    def enable(self, request, queryset):
        count = 0
        for endpoint in queryset.filter(enabled=False):
            deliveries.enable(endpoint=endpoint)
            count += 1
        if count:
            ensure_periodic_check()
        self.message_user(request, f"{count} endpoint(s) re-enabled.", messages.SUCCESS)

    @admin.action(description="Pause selected endpoints", permissions=["change"])
    def disable(self, request, queryset):
        count = 0
        for endpoint in queryset.filter(enabled=True):
            deliveries.disable(endpoint=endpoint, reason=f"Paused by {request.user}.")
            count += 1
        self.message_user(request, f"{count} endpoint(s) paused.", messages.SUCCESS)

    @admin.action(description="Rotate the signing secret", permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            secret = deliveries.rotate_secret(endpoint=endpoint)
            messages.warning(
                request,
                f"New secret for {endpoint.url}: {secret} — give it to the partner now; the old "
                f"one also signs until {endpoint.previous_secret_until:%Y-%m-%d %H:%M %Z}.",
            )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "number", "event", "started_at", "duration_ms", "status_code", "error",
        "response_excerpt", "succeeded",
    )  # fmt: skip

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "endpoint",
        "event",
        "content_type",
        "object_id",
        "state",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
    )
    list_select_related = ("endpoint",)
    list_filter = ("state", "event", "content_type")
    search_fields = ("endpoint__url", "object_id", "event_id")
    date_hierarchy = "created_at"
    inlines = [WebhookAttemptInline]
    actions = ["replay"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewable and replayable, never edited: the log is what happened.
        return False

    @admin.action(description="Replay selected deliveries", permissions=["view"])
    def replay(self, request, queryset):
        done, refused = 0, 0
        for delivery in queryset.select_related("endpoint"):
            try:
                deliveries.replay(delivery=delivery)
                done += 1
            except deliveries.ReplayRefused:
                refused += 1
        self.message_user(request, f"{done} deliver(ies) queued again.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"{refused} not replayed: their endpoint is disabled; re-enable it first.",
                messages.WARNING,
            )
