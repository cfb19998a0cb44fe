"""Images become items of the media library: each distinct file of an item's image field
becomes a library image (titled after the item, with its alt text), and the field a foreign
key to it. The files themselves stay where they are."""

from functools import partial

import django.db.models.deletion
from django.db import migrations, models

import core.library

LABELS = ['publications.NewsPost']
forwards = partial(core.library.move_files_to_library, labels=LABELS, old="image", new="library_image")
backwards = partial(core.library.move_files_back, labels=LABELS, old="image", new="library_image")


def library_field():
    return core.library.LibraryImageField(
        blank=True,
        help_text="Chosen from the media library: type to search.",
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="core.image",
    )


class Migration(migrations.Migration):
    dependencies = [('core', '0010_media_library'), ('publications', '0005_search_vectors_and_indexes')]

    operations = [
        migrations.AddField("newspost", "library_image", library_field()),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField("newspost", "image"),
        migrations.RenameField("newspost", "library_image", "image"),
        migrations.AlterField(
            model_name="newspost",
            name="image_alt",
            field=models.CharField(
                blank=True,
                help_text="What the image shows here, for people who cannot see it. Leave empty "
                "to use the library's alt text.",
                max_length=250,
                verbose_name="image alt text",
            ),
        ),
    ]

