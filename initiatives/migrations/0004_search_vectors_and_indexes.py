"""Indexes for the published condition and the lists' orderings; on PostgreSQL, the stored
search vectors (fields and weights as in the app's registry.py) and trigram indexes on titles.
"""

from django.conf import settings
from django.db import migrations, models

from core.fulltext import AddSearchVector, AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_trigram_extension"),
        ("initiatives", "0003_created_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["-announced_on", "title"], name="initiative_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="initiative_published_idx"
            ),
        ),
        # PostgreSQL only (nothing happens on other databases). The search vectors, kept
        # current by the database: WHERE search_vector @@ websearch_to_tsquery(...).
        AddSearchVector(
            model_name="initiative",
            fields=[("title", "A"), ("short_title", "B"), ("summary", "C"), ("description", "C")],
        ),
        # Admin search and autocompletes on titles: UPPER(title::text) LIKE UPPER('%term%').
        AddTrigramIndex(model_name="initiative", field="title", name="initiative_title_trgm_idx"),
    ]
