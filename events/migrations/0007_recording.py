"""Recordings: video and podcast recordings of sessions, with the editorial roles' permissions."""

import core.richtext
import datetime
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# The editorial roles (0002_editorial_roles) for the new type: contributors write, editors
# also delete, administrators may do everything.
ROLES = {
    "Contributors": ["add", "change", "view"],
    "Editors": ["add", "change", "delete", "view"],
    "Administrators": ["add", "change", "delete", "view"],
}


def grant_roles(apps, schema_editor):
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("events"), apps=apps, verbosity=0, using=db)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLES.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.using(db).filter(
                content_type__app_label="events",
                codename__in=[f"{action}_recording" for action in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_partnerkey_moved_to_core"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Recording",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("review", "In review"),
                            ("published", "Published"),
                            ("archived", "Archived"),
                            ("rejected", "Rejected"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=12,
                    ),
                ),
                (
                    "publish_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When a published item becomes public. Left empty, it is set on publishing.",
                        null=True,
                        verbose_name="publish at",
                    ),
                ),
                (
                    "unpublish_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Optional: when the item stops being public.",
                        null=True,
                        verbose_name="unpublish at",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
                ("title", models.CharField(max_length=250)),
                ("slug", models.SlugField(max_length=200, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("video", "Video"), ("podcast", "Podcast")],
                        default="video",
                        max_length=10,
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        help_text="The recording on its host (a video platform, a podcast's episode page).",
                        max_length=500,
                        verbose_name="recording link",
                    ),
                ),
                ("duration", models.DurationField(blank=True, help_text="hh:mm:ss", null=True)),
                (
                    "recorded_on",
                    models.DateField(blank=True, null=True, verbose_name="recorded on"),
                ),
                ("description", core.richtext.RichTextField(blank=True)),
                (
                    "people",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The people heard or seen in it.",
                        related_name="recordings",
                        to="events.person",
                    ),
                ),
                (
                    "sessions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The sessions it records.",
                        related_name="recordings",
                        to="events.session",
                    ),
                ),
            ],
            options={
                "ordering": ["-recorded_on", "title"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "published"), _negated=True),
                            ("publish_at__isnull", False),
                            _connector="OR",
                        ),
                        name="recording_published_has_publish_at",
                        violation_error_message="A published item needs a publication time.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("unpublish_at__isnull", True),
                            ("publish_at__isnull", True),
                            ("unpublish_at__gt", models.F("publish_at")),
                            _connector="OR",
                        ),
                        name="recording_unpublish_after_publish",
                        violation_error_message="'Unpublish at' must come after 'publish at'.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("duration__isnull", True),
                            ("duration__gt", datetime.timedelta(0)),
                            _connector="OR",
                        ),
                        name="recording_duration_positive",
                        violation_error_message="A recording lasts longer than no time at all.",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
