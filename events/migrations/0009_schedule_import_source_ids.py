"""Imported people, tracks and sessions keep their id at the source, so a schedule imported
again updates them instead of adding them twice."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0008_created_by'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='source',
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='person',
            name='source_id',
            field=models.CharField(blank=True, editable=False, max_length=100, verbose_name='id at the source'),
        ),
        migrations.AddField(
            model_name='session',
            name='source_id',
            field=models.CharField(blank=True, editable=False, max_length=100, verbose_name='id at the source'),
        ),
        migrations.AddField(
            model_name='track',
            name='source_id',
            field=models.CharField(blank=True, editable=False, max_length=100, verbose_name='id at the source'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(condition=models.Q(('source_id', ''), _negated=True), fields=('source', 'source_id'), name='person_source_id_unique'),
        ),
        migrations.AddConstraint(
            model_name='session',
            constraint=models.UniqueConstraint(condition=models.Q(('source_id', ''), _negated=True), fields=('event', 'source_id'), name='session_source_id_unique_in_event'),
        ),
        migrations.AddConstraint(
            model_name='track',
            constraint=models.UniqueConstraint(condition=models.Q(('source_id', ''), _negated=True), fields=('event', 'source_id'), name='track_source_id_unique_in_event'),
        ),
    ]
