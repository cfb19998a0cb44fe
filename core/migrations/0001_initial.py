"""Partner keys move from the events app to the platform: state only, the table is kept.

``events.0006`` drops the model from the events app's state; ``0002`` then renames the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("events", "0005_topic_publishable"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.PARTNER_ORGANISATION_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PartnerKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="What the key is for, e.g. “Summit feed”.", max_length=100)),
                        ("prefix", models.CharField(editable=False, max_length=12, unique=True)),
                        ("hashed_secret", models.CharField(editable=False, max_length=128)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField(blank=True, null=True)),
                        ("can_submit", models.BooleanField(default=False, help_text="Lets the partner submit, change and withdraw side sessions for review. Leave unticked for keys that only read (indexers, data journalists).", verbose_name="may submit side sessions")),
                        ("revoked_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_keys", to=settings.PARTNER_ORGANISATION_MODEL)),
                    ],
                    options={
                        "verbose_name": "partner API key",
                        "ordering": ["organisation", "-created_at"],
                        "db_table": "events_partnerkey",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
