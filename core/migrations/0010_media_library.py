"""The media library: images and documents with tags; who may do what with them.

Everyone who writes content uploads and chooses images and documents; deleting one (refused
while it is used) is for editors and administrators.
"""

import core.images
import django.core.validators
from django.db import migrations, models

from core.workflow import grant_permissions

_WRITE = ["add_image", "change_image", "view_image", "add_document", "change_document",
          "view_document", "add_mediatag", "view_mediatag"]
_ALL = [*_WRITE, "delete_image", "delete_document", "change_mediatag", "delete_mediatag"]
ROLES = {"Contributors": _WRITE, "Editors": _ALL, "Administrators": _ALL}  # fmt: skip


grant_roles = grant_permissions("core", ROLES)



class Migration(migrations.Migration):

    dependencies = [
        ('core', '0009_pending_changes'),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name='MediaTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, unique=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Image',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=250)),
                ('credit', models.CharField(blank=True, help_text='Who made it, as it should be printed.', max_length=250)),
                ('licence', models.CharField(blank=True, help_text='e.g. CC BY 4.0, or “All rights reserved”.', max_length=100)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('file', core.images.ImageUploadField(upload_to='images/%Y/%m/')),
                ('alt_text', models.CharField(blank=True, help_text='What the image shows, for people who cannot see it. A field that uses the image may give its own.', max_length=250)),
                ('focal_x', models.FloatField(default=0.5, help_text='0 is the left edge, 1 the right; click the picture to set it.', validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)], verbose_name='focal point across')),
                ('focal_y', models.FloatField(default=0.5, help_text='0 is the top edge, 1 the bottom.', validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)], verbose_name='focal point down')),
                ('tags', models.ManyToManyField(blank=True, related_name='+', to='core.mediatag')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'abstract': False,
                'indexes': [models.Index(fields=['-created_at'], name='image_newest_first')],
                'constraints': [models.CheckConstraint(condition=models.Q(('focal_x__gte', 0), ('focal_x__lte', 1), ('focal_y__gte', 0), ('focal_y__lte', 1)), name='image_focal_point_inside', violation_error_message='The focal point must lie inside the picture.')],
            },
        ),
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=250)),
                ('credit', models.CharField(blank=True, help_text='Who made it, as it should be printed.', max_length=250)),
                ('licence', models.CharField(blank=True, help_text='e.g. CC BY 4.0, or “All rights reserved”.', max_length=100)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('file', models.FileField(upload_to='documents/%Y/', validators=[django.core.validators.FileExtensionValidator(['pdf']), core.images.validate_pdf_file], verbose_name='PDF')),
                ('tags', models.ManyToManyField(blank=True, related_name='+', to='core.mediatag')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'abstract': False,
                'indexes': [models.Index(fields=['-created_at'], name='document_newest_first')],
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
