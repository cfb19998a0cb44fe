"""Backups: one archive of the database and the media, restored into an empty installation."""

import io
import json
import tarfile

import pytest
import reversion
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image
from reversion.models import Revision, Version

from events.models import Person
from publications.models import Article
from tests.factories import make_image

pytestmark = pytest.mark.django_db


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("portrait.jpg", buffer.getvalue(), content_type="image/jpeg")


def counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "sessions"}
        and model._meta.label_lower not in {"auth.permission", "axes.accessattempt"}
    }


def media() -> dict[str, bytes]:
    from core.backups import media_files

    out = {}
    for name in media_files():
        with default_storage.open(name, "rb") as handle:
            out[name] = handle.read()
    return out


def versions() -> list[tuple]:
    return sorted(
        (v.revision.comment, v.content_type.natural_key(), v.object_id, v.serialized_data)
        for v in Version.objects.select_related("revision", "content_type")
    )


@pytest.fixture
def site(tmp_path):
    """The demo content, an uploaded portrait and a few revisions by an editor."""
    call_command("demo", "--no-serve", stdout=io.StringIO())
    editor = get_user_model().objects.get(username="editor")
    person = Person.objects.order_by("pk").first()
    person.image = make_image(file=photo())
    person.image_alt = "A portrait"
    person.save()
    article = Article.objects.order_by("pk").first()
    for n in range(3):
        with reversion.create_revision():
            article.title = f"{article.title.split(' (')[0]} (edit {n})"
            article.save()
            reversion.set_user(editor)
            reversion.set_comment(f"Edit {n}")
    with reversion.create_revision():
        person.save()
        reversion.set_comment("Portrait added")
    return person


def test_backup_restore_round_trip_keeps_every_object_revision_and_file(site, tmp_path):
    before_counts, before_media, before_versions = counts(), media(), versions()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("correct horse battery staple")
    editor.save()
    assert before_media and Version.objects.count() >= 4
    # The demo editor's revisions: the demo's items (made through the workflow) and 3 edits.
    editor_revisions = Revision.objects.filter(user=editor).count()
    assert editor_revisions >= 3
    archive = tmp_path / "site.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Backed up" in out.getvalue()

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["version"] == 1
    assert manifest["counts"]["events.person"] == before_counts["events.person"]
    assert {entry["name"] for entry in manifest["media"]} == set(before_media)

    # An empty installation: no rows (beyond what migrate makes) and no files. (The deferred
    # checks of this test's transaction run first: PostgreSQL will not TRUNCATE before.)
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    for name in before_media:
        default_storage.delete(name)
    assert Person.objects.count() == 0 and media() == {}

    call_command("restore", str(archive), stdout=io.StringIO())

    assert counts() == before_counts
    assert versions() == before_versions
    assert Revision.objects.filter(user__username="editor").count() == editor_revisions
    assert media() == before_media
    restored = Person.objects.get(pk=site.pk)
    assert restored.image.file.name == site.image.file.name
    assert restored.image.file.read() == before_media[site.image.file.name]
    # The restored editor signs in as before.
    restored_editor = get_user_model().objects.get(username="editor")
    assert restored_editor.check_password("correct horse battery staple")
    assert list(restored_editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert restored_editor.groups.get().permissions.count() > 0


def test_restore_refuses_a_non_empty_installation_unless_forced(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = counts()
    Person.objects.filter(pk=site.pk).update(name="Changed after the backup")
    with pytest.raises(CommandError, match=r"not empty .* add --force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Person.objects.get(pk=site.pk).name == "Changed after the backup"

    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert Person.objects.get(pk=site.pk).name != "Changed after the backup"
    assert counts() == before


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        data = b"{}"
        info = tarfile.TarInfo("database.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(bogus))
    (tmp_path / "text.tar.gz").write_text("hello")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(tmp_path / "text.tar.gz"))
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_a_damaged_dump_is_refused_before_anything_changes(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.json":
                data = data.replace(b"A portrait", b"B portrait")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    before = counts()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), "--force")
    assert counts() == before
