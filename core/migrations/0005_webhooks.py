"""Partners' webhook endpoints, their deliveries and attempts, and the scheduled check's mark."""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Editors and administrators manage partners' webhook endpoints and read their delivery logs
# (replaying a delivery needs only its view permission; the log itself is never edited).
ROLES = {
    "Editors": ["add_webhookendpoint", "change_webhookendpoint", "delete_webhookendpoint",
                "view_webhookendpoint", "view_webhookdelivery", "view_webhookattempt"],
    "Administrators": ["add_webhookendpoint", "change_webhookendpoint",
                       "delete_webhookendpoint", "view_webhookendpoint",
                       "view_webhookdelivery", "view_webhookattempt"],
}  # fmt: skip


def grant_roles(apps, schema_editor):
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("core"), apps=apps, verbosity=0, using=db)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.using(db).filter(
                content_type__app_label="core", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_redirects"),
        ("events", "0008_created_by"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="WebhookScheduleMark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("checked_until", models.DateTimeField()),
            ],
            options={
                "verbose_name": "webhook schedule mark",
            },
        ),
        migrations.CreateModel(
            name="WebhookEndpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(max_length=2000, verbose_name="URL")),
                ("description", models.CharField(blank=True, max_length=200)),
                (
                    "events",
                    models.JSONField(
                        default=list, help_text="Any of: published, changed, withdrawn."
                    ),
                ),
                (
                    "content_types",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="API type names (event, session, …); empty: all.",
                    ),
                ),
                (
                    "contact_email",
                    models.EmailField(
                        blank=True,
                        help_text="Told by e-mail when the endpoint is disabled after failures.",
                        max_length=254,
                    ),
                ),
                ("secret", models.CharField(editable=False, max_length=100)),
                ("previous_secret", models.CharField(blank=True, editable=False, max_length=100)),
                (
                    "previous_secret_until",
                    models.DateTimeField(blank=True, editable=False, null=True),
                ),
                ("enabled", models.BooleanField(default=True)),
                ("disabled_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("disabled_reason", models.CharField(blank=True, max_length=300)),
                ("consecutive_failures", models.PositiveIntegerField(default=0, editable=False)),
                ("last_delivery_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "last_status_code",
                    models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
                ),
                ("last_error", models.CharField(blank=True, editable=False, max_length=300)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "created_by_key",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="webhook_endpoints",
                        to="core.partnerkey",
                        verbose_name="registered with key",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook endpoint",
                "ordering": ["organisation", "-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event_id", models.UUIDField(default=uuid.uuid4, editable=False)),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("published", "Published"),
                            ("changed", "Changed while published"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        max_length=12,
                    ),
                ),
                ("content_type", models.CharField(max_length=50)),
                ("object_id", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("succeeded", "Succeeded"),
                            ("failed", "Failed (no attempts left)"),
                            ("cancelled", "Cancelled (endpoint disabled or removed)"),
                        ],
                        default="pending",
                        max_length=12,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("last_status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("last_error", models.CharField(blank=True, max_length=300)),
                ("completed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "replay_of",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="replays",
                        to="core.webhookdelivery",
                    ),
                ),
                (
                    "endpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="core.webhookendpoint",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook delivery",
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="WebhookAttempt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField()),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("published", "Published"),
                            ("changed", "Changed while published"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        max_length=12,
                    ),
                ),
                ("started_at", models.DateTimeField()),
                ("duration_ms", models.PositiveIntegerField(default=0)),
                ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("response_excerpt", models.TextField(blank=True)),
                ("error", models.CharField(blank=True, max_length=300)),
                ("succeeded", models.BooleanField(default=False)),
                (
                    "delivery",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempt_log",
                        to="core.webhookdelivery",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook attempt",
                "ordering": ["delivery", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("delivery", "number"), name="webhook_attempt_unique_number"
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="webhookendpoint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("enabled", True), ("disabled_at__isnull", False), _connector="OR"
                ),
                name="webhook_endpoint_disabled_has_time",
                violation_error_message="A disabled endpoint records when it was disabled.",
            ),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(
                fields=["endpoint", "content_type", "object_id", "-created_at"],
                name="webhook_delivery_item_idx",
            ),
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
