"""Indexes for the published condition and the lists' orderings; on PostgreSQL, the stored
search vectors (fields and weights as in the app's registry.py) and trigram indexes on titles.
"""

from django.conf import settings
from django.db import migrations, models

from core.fulltext import AddSearchVector, AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_trigram_extension"),
        ("publications", "0004_created_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="article_published_on_idx",
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-published_on", "title"], name="article_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["article_type", "-published_on"], name="article_type_date_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="article_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="collection",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="collection_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="journal",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="journal_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="newspost",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-publish_at", "title"],
                name="newspost_public_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="newspost",
            index=models.Index(
                fields=["status", "publish_at", "unpublish_at"], name="newspost_published_idx"
            ),
        ),
        # PostgreSQL only (nothing happens on other databases). The search vectors, kept
        # current by the database: WHERE search_vector @@ websearch_to_tsquery(...).
        AddSearchVector(
            model_name="collection",
            fields=[("title", "A"), ("description", "B")],
        ),
        AddSearchVector(
            model_name="article",
            fields=[("title", "A"), ("abstract", "B"), ("plain_language_summary", "C")],
        ),
        AddSearchVector(
            model_name="newspost",
            fields=[("title", "A"), ("standfirst", "B"), ("body", "C")],
        ),
        # Admin search and autocompletes on titles: UPPER(title::text) LIKE UPPER('%term%').
        AddTrigramIndex(model_name="collection", field="title", name="collection_title_trgm_idx"),
        AddTrigramIndex(model_name="article", field="title", name="article_title_trgm_idx"),
        AddTrigramIndex(model_name="newspost", field="title", name="newspost_title_trgm_idx"),
    ]
