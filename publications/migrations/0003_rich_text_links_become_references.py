"""Links to our own items in existing rich text become references (``data-ref``).

Every rich-text column of every content app is rewritten in its stored form
(``core.richtext.clean_rich_text``): sanitised, and each ``href`` that is the page of one of
our items (resolved against the URL configuration, then the item looked up by slug) turned
into a reference to it. External links stay URLs. It lives in the last app of the chain
because it reads the tables of all three.

Reversing leaves the references in place: the site renders them, and writing URLs back
would bring back the links that break when a slug changes.
"""

from django.db import migrations


def links_to_references(apps, schema_editor):
    from core.richtext import RichTextField, clean_rich_text

    def historical(model):
        try:
            return apps.get_model(model._meta.label)
        except LookupError:  # a model added after this migration
            return None

    for app_label in ("events", "initiatives", "publications"):
        for model in apps.get_app_config(app_label).get_models():
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, RichTextField)]
            if not fields:
                continue
            for row in model._default_manager.only("pk", *fields).iterator():
                changed = {}
                for name in fields:
                    value = getattr(row, name)
                    cleaned = clean_rich_text(value, get_model=historical)
                    if cleaned != value:
                        changed[name] = cleaned
                if changed:
                    # update(), not save(): no timestamps or revisions for a change of form.
                    model._default_manager.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_partnerkey_moved_to_core"),
        ("initiatives", "0002_initiative_related_sessions"),
        ("publications", "0002_journal_publishable"),
    ]

    operations = [migrations.RunPython(links_to_references, migrations.RunPython.noop)]
