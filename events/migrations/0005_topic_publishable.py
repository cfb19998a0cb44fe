"""Topics get a publication status. Existing topics were public before
statuses existed, so they are marked published now and stay on the site; new ones start as drafts."""

import django.utils.timezone
from django.db import migrations, models


def publish_existing(apps, schema_editor):
    Topic = apps.get_model("events", "topic")
    Topic.objects.filter(status="draft").update(
        status="published", publish_at=django.utils.timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_partnerkey_can_submit"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="status",
            field=models.CharField(
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
        migrations.AddField(
            model_name="topic",
            name="publish_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When a published item becomes public. Left empty, it is set on publishing.",
                null=True,
                verbose_name="publish at",
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="unpublish_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Optional: when the item stops being public.",
                null=True,
                verbose_name="unpublish at",
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="topic",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "published"), _negated=True)
                | models.Q(("publish_at__isnull", False)),
                name="topic_published_has_publish_at",
                violation_error_message="A published item needs a publication time.",
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("unpublish_at__isnull", True),
                    ("publish_at__isnull", True),
                    ("unpublish_at__gt", models.F("publish_at")),
                    _connector="OR",
                ),
                name="topic_unpublish_after_publish",
                violation_error_message="'Unpublish at' must come after 'publish at'.",
            ),
        ),
    ]
