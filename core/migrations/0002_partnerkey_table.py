"""Partner keys get the platform's table name; their content type (and so the permissions
editors hold on keys) moves to the platform app with them."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="core", model="partnerkey").exists():
        ContentType.objects.using(db).filter(app_label="events", model="partnerkey").update(
            app_label="core"
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="core", model="partnerkey").update(
        app_label="events"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("events", "0006_partnerkey_moved_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="partnerkey", table="core_partnerkey")
            ],
            state_operations=[migrations.AlterModelTable(name="partnerkey", table=None)],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
