"""Articles' PDFs become documents of the media library: each distinct file becomes a library
document titled after the article, and the field a foreign key to it. The files stay put."""

from functools import partial

import django.db.models.deletion
from django.db import migrations

import core.library

OPTIONS = {"labels": ["publications.Article"], "old": "pdf", "new": "library_pdf"}
forwards = partial(core.library.move_files_to_library, library="core.Document", **OPTIONS)
backwards = partial(core.library.move_files_back, **OPTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_media_library"),
        ("publications", "0006_images_from_the_media_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="library_pdf",
            field=core.library.LibraryDocumentField(
                blank=True,
                help_text="Chosen from the media library: type to search.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.document",
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="article", name="pdf"),
        migrations.RenameField(model_name="article", old_name="library_pdf", new_name="pdf"),
    ]
