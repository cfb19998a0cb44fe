"""The editorial roles: Contributors, Editors and Administrators, with their permissions.

Permissions are normally created by the post_migrate signal, i.e. after every migration has
run, so on a fresh database they do not exist yet when this migration runs. It therefore
creates them first with ``create_permissions`` (the same function post_migrate calls; it is
idempotent), then fills the groups. Running it again only adds what is missing.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ("events", "initiatives", "publications")

# Models the public sees, and the rows edited inline under them.
AUTHORED = {
    "events": ["organisation", "person", "event", "track", "session", "sessionparticipant"],
    "initiatives": ["initiative", "signatory", "source"],
    "publications": ["collection", "article", "articleauthor", "newspost"],
}
# Reference data contributors may look at and pick from, but not change.
REFERENCE = {
    "events": ["topic"],
    "initiatives": ["referencerate"],
    "publications": ["journal"],
}


def perms(Permission, app_label, models, actions):
    codenames = [f"{action}_{model}" for model in models for action in actions]
    found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return found


def create_roles(apps, schema_editor):
    db = schema_editor.connection.alias
    for label in (*CONTENT_APPS, "admin", "auth", "contenttypes"):
        try:
            app_config = global_apps.get_app_config(label)
        except LookupError:
            continue
        create_permissions(app_config, apps=apps, verbosity=0, using=db)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    contributors, _ = Group.objects.using(db).get_or_create(name="Contributors")
    editors, _ = Group.objects.using(db).get_or_create(name="Editors")
    administrators, _ = Group.objects.using(db).get_or_create(name="Administrators")

    contributor_perms = []
    editor_perms = []
    for app_label, models in AUTHORED.items():
        contributor_perms += perms(Permission, app_label, models, ["add", "change", "view"])
        editor_perms += perms(Permission, app_label, models, ["add", "change", "delete", "view"])
    for app_label, models in REFERENCE.items():
        contributor_perms += perms(Permission, app_label, models, ["view"])
        editor_perms += perms(Permission, app_label, models, ["add", "change", "delete", "view"])
    editor_perms += perms(Permission, "events", ["partnerkey"], ["add", "change", "view"])
    editor_perms += perms(Permission, "admin", ["logentry"], ["view"])

    contributors.permissions.add(*contributor_perms)
    editors.permissions.add(*editor_perms)
    administrators.permissions.add(
        *Permission.objects.using(db).filter(
            content_type__app_label__in=(*CONTENT_APPS, "admin", "auth")
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("initiatives", "0001_initial"),
        ("publications", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
