"""Partners' webhook endpoints: register, change, remove, rotate the secret, read the
delivery log and replay a delivery. Each partner sees only its organisation's endpoints.

The secret is in the response to the creation and to ``rotate-secret`` only. An endpoint the
site disabled after failures says why (``disabled_reason``); ``PATCH {"enabled": true}``
turns it back on.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    OpenApiWebhook,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from core.webhooks import delivery as deliveries
from core.webhooks import payloads, signing
from core.webhooks.targets import check_target
from core.webhooks.tasks import ensure_periodic_check

from .errors import Conflict
from .keys import partner_of
from .permissions import IsPartner
from .viewsets import ApiViewMixin


class WebhookEndpointSerializer(serializers.ModelSerializer):
    url = serializers.CharField(
        max_length=2000,
        help_text="Where deliveries are POSTed: a public https:// address.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        allow_empty=False,
        help_text="The events to receive: published, changed, withdrawn.",
    )
    enabled = serializers.BooleanField(
        required=False,
        help_text="False once the site disabled it after failures (see disabled_reason); "
        "set it to true to resume, or to false to pause deliveries.",
    )
    deliveries_url = serializers.HyperlinkedIdentityField(
        view_name="api:webhook-deliveries", read_only=True
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "content_types",
            "contact_email",
            "enabled",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "last_delivery_at",
            "last_status_code",
            "last_error",
            "created_at",
            "updated_at",
            "deliveries_url",
        ]
        read_only_fields = [
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "last_delivery_at",
            "last_status_code",
            "last_error",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        # The types come from the registry, complete only once every app is ready.
        fields["content_types"] = serializers.ListField(
            child=serializers.ChoiceField(choices=sorted(payloads.content_types())),
            required=False,
            help_text="The content types to receive, by their API names; empty or left "
            "out: all of them.",
        )
        return fields

    def validate_url(self, value: str) -> str:
        try:
            check_target(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value

    def validate_events(self, value: list[str]) -> list[str]:
        return sorted(set(value), key=[e.value for e in WebhookEvent].index)

    def validate_content_types(self, value: list[str]) -> list[str]:
        return sorted(set(value))


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret. Shown only now (and on rotation): keep it safe.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, shown only now.")
    previous_secret_valid_until = serializers.DateTimeField(
        help_text="Until then deliveries also carry a signature made with the old secret."
    )


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "event",
            "started_at",
            "duration_ms",
            "status_code",
            "response_excerpt",
            "error",
            "succeeded",
        ]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="content_type", help_text="The item's content type.")
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event",
            "type",
            "object_id",
            "state",
            "attempts",
            "created_at",
            "next_attempt_at",
            "completed_at",
            "last_status_code",
            "last_error",
            "replay_of",
            "attempt_log",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List your webhook endpoints", tags=["webhooks"]),
    retrieve=extend_schema(summary="One of your webhook endpoints", tags=["webhooks"]),
    create=extend_schema(
        summary="Register a webhook endpoint",
        tags=["webhooks"],
        responses={201: WebhookEndpointCreatedSerializer},
    ),
    update=extend_schema(summary="Change a webhook endpoint", tags=["webhooks"]),
    partial_update=extend_schema(summary="Change part of a webhook endpoint", tags=["webhooks"]),
    destroy=extend_schema(summary="Remove a webhook endpoint", tags=["webhooks"]),
)
class WebhookEndpointViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """A partner's webhook endpoints (any valid key; each sees its organisation's only)."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [IsPartner]
    per_partner = True
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def get_queryset(self):
        partner = partner_of(self.request)
        if partner is None:
            return WebhookEndpoint.objects.none()
        return WebhookEndpoint.objects.filter(organisation=partner.organisation).order_by(
            "-created_at", "-id"
        )

    def perform_create(self, serializer):
        partner = partner_of(self.request)
        with transaction.atomic():
            endpoint = serializer.save(
                organisation=partner.organisation,
                created_by_key=partner.key,
                secret=signing.new_secret(),
                enabled=True,
            )
            ensure_periodic_check()
        return endpoint

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = self.perform_create(serializer)
        body = WebhookEndpointCreatedSerializer(endpoint, context=self.get_serializer_context())
        data = {**body.data, "secret": endpoint.secret}
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        enabled = serializer.validated_data.pop("enabled", None)
        with transaction.atomic():
            endpoint = serializer.save()
            if enabled is True and not endpoint.enabled:
                deliveries.enable(endpoint=endpoint)
                ensure_periodic_check()
            elif enabled is False and endpoint.enabled:
                deliveries.disable(endpoint=endpoint, reason="Paused by the partner.")

    @extend_schema(
        summary="Rotate the signing secret",
        tags=["webhooks"],
        request=None,
        responses={200: SecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        secret = deliveries.rotate_secret(endpoint=endpoint)
        return Response(
            {"secret": secret, "previous_secret_valid_until": endpoint.previous_secret_until}
        )

    @extend_schema(
        summary="The delivery log of an endpoint",
        tags=["webhooks"],
        parameters=[
            OpenApiParameter(
                "state",
                enum=WebhookDelivery.State.values,
                required=False,
                description="Only deliveries in this state.",
            )
        ],
        responses={200: WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="deliveries")
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        queryset = endpoint.deliveries.prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        ).order_by("-created_at", "-id")
        state = request.query_params.get("state")
        if state is not None:
            if state not in WebhookDelivery.State.values:
                raise serializers.ValidationError(
                    {"state": [f"Give one of: {', '.join(WebhookDelivery.State.values)}."]}
                )
            queryset = queryset.filter(state=state)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send a delivery again",
        description="Queues the delivery's event again, as a new delivery with the same "
        "event id (Webhook-Id) and a body built now.",
        tags=["webhooks"],
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/replay",
        url_name="replay",
    )
    def replay(self, request, pk=None, delivery_id=None):
        endpoint = self.get_object()
        original = get_object_or_404(endpoint.deliveries.select_related("endpoint"), pk=delivery_id)
        try:
            copy = deliveries.replay(delivery=original)
        except deliveries.ReplayRefused as exc:
            raise Conflict(str(exc)) from None
        return Response(WebhookDeliverySerializer(copy).data, status=status.HTTP_202_ACCEPTED)


# ---------------------------------------------------------------------------
# The deliveries themselves, in the schema's ``webhooks`` section (OpenAPI 3.1).

SIGNATURE_DESCRIPTION = (
    "POSTed as JSON to each endpoint that asked for this event and type. Headers: "
    "`Webhook-Id` (the event's id; the same on retries and replays, so deduplicate on it), "
    "`Webhook-Timestamp` (Unix seconds), `Webhook-Event`, `Webhook-Attempt` and "
    "`Webhook-Signature: t=<timestamp>,v1=<hex>`, where `v1` is the HMAC-SHA256, keyed with "
    "the endpoint's secret, of `<timestamp>.<raw body>` (after a secret rotation a second "
    "`v1` signed with the old secret follows for a while). Refuse a request whose signature "
    "does not match or whose timestamp is more than five minutes old. Answer with any 2xx "
    "within 10 seconds; anything else is retried with exponential backoff."
)


class WebhookItemPayloadSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The event's id (also the Webhook-Id header).")
    event = serializers.CharField(help_text="`published` or `changed`.")
    created_at = serializers.DateTimeField(help_text="When the event happened.")
    sent_at = serializers.DateTimeField(help_text="When this attempt was made.")
    type = serializers.CharField(help_text="The content type, as the API names it (event, …).")
    object_id = serializers.IntegerField(help_text="The item's id.")
    data = serializers.DictField(
        help_text="The item as the API's public detail shows it (GET /api/v1/<type>/…), "
        "built when the delivery is sent."
    )


class WebhookWithdrawnPayloadSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The event's id (also the Webhook-Id header).")
    event = serializers.CharField(help_text="`withdrawn`.")
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField()
    type = serializers.CharField(help_text="The content type, as the API names it.")
    object_id = serializers.IntegerField(
        help_text="The item's id: all that is sent about an item that is no longer public."
    )


def _webhook(name: str, summary: str, payload) -> OpenApiWebhook:
    return OpenApiWebhook(
        name=name,
        decorator=extend_schema(
            summary=summary,
            description=SIGNATURE_DESCRIPTION,
            request=payload,
            responses={200: OpenApiResponse(description="Any 2xx: received.")},
        ),
    )


item_published = _webhook(
    "itemPublished",
    "An item became public (published now, or its publish time came).",
    WebhookItemPayloadSerializer,
)
item_changed = _webhook(
    "itemChanged", "A public item was changed and is still public.", WebhookItemPayloadSerializer
)
item_withdrawn = _webhook(
    "itemWithdrawn",
    "An item stopped being public (archived, unpublished, expired or deleted).",
    WebhookWithdrawnPayloadSerializer,
)
