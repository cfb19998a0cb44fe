"""Partner keys now live in the platform app (``core.PartnerKey``); the table is kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_topic_publishable"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PartnerKey")],
            database_operations=[],
        ),
    ]
