"""pg_trgm, for the trigram indexes that serve substring search on titles (PostgreSQL only)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_webhooks"),
    ]

    operations = [
        # Does nothing on other databases.
        TrigramExtension(),
    ]
