"""Indexes for the published condition and the lists' orderings; on PostgreSQL, the stored
search vectors (fields and weights as in the app's registry.py) and trigram indexes on titles.
"""

from django.conf import settings
from django.db import migrations, models

from core.fulltext import AddSearchVector, AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_trigram_extension"),
        ("events", "0009_schedule_import_source_ids"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["end", "start"],
                name="event_public_upcoming_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["kind", "-start"], name="event_kind_start_idx"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="event_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["name"], name="organisation_name_idx"),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="organisation_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["sort_name", "name"], name="person_sort_name_idx"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="person_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="recording",
            index=models.Index(fields=["-recorded_on", "title"], name="recording_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="recording",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="recording_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="session_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="topic",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="topic_published_idx"
            ),
        ),
        # PostgreSQL only (nothing happens on other databases). The search vectors, kept
        # current by the database: WHERE search_vector @@ websearch_to_tsquery(...).
        AddSearchVector(
            model_name="topic",
            fields=[("name", "A"), ("description", "B")],
        ),
        AddSearchVector(
            model_name="organisation",
            fields=[("name", "A"), ("acronym", "B"), ("description", "C")],
        ),
        AddSearchVector(
            model_name="person",
            fields=[("name", "A"), ("role", "B"), ("bio", "C")],
        ),
        AddSearchVector(
            model_name="event",
            fields=[("title", "A"), ("summary", "B"), ("description", "C"), ("city", "C")],
        ),
        AddSearchVector(
            model_name="session",
            fields=[("title", "A"), ("summary", "B"), ("description", "C")],
        ),
        AddSearchVector(
            model_name="recording",
            fields=[("title", "A"), ("description", "B")],
        ),
        # Admin search and autocompletes on titles: UPPER(title::text) LIKE UPPER('%term%').
        AddTrigramIndex(model_name="topic", field="name", name="topic_name_trgm_idx"),
        AddTrigramIndex(model_name="organisation", field="name", name="organisation_name_trgm_idx"),
        AddTrigramIndex(model_name="person", field="name", name="person_name_trgm_idx"),
        AddTrigramIndex(model_name="event", field="title", name="event_title_trgm_idx"),
        AddTrigramIndex(model_name="session", field="title", name="session_title_trgm_idx"),
        AddTrigramIndex(model_name="recording", field="title", name="recording_title_trgm_idx"),
    ]
