"""Backups: one archive with the whole database and every media file, and its restore.

The archive is a ``.tar.gz`` holding

- ``manifest.json``: the format version, when and from what it was made (database vendor,
  Django version, the last migration of each app), the number of rows of each model, and the
  size and SHA-256 of every file in it;
- ``database.json``: every row, written by Django's ``dumpdata`` with natural keys for content
  types and permissions (which differ between installations) and primary keys kept for
  everything else (revisions refer to their objects by primary key);
- ``media/…``: every file in the default storage, read through the storage API, so the same
  command backs up a local ``MEDIA_ROOT`` and an S3 bucket.

A JSON dump rather than ``pg_dump``: it restores into SQLite or PostgreSQL alike (a laptop
copy of production, a move between the two), needs no client tools of the database's exact
version on the machine, and is checked row by row on the way back in. It is slower than a
native dump for very large databases; this CMS's content stays well within what it handles.

Left out, because a restore must not bring them back: sessions (everyone signs in again),
content types and permissions (made by ``migrate``), Idempotency-Key records, and the
sign-in lockout counters. Password hashes and two-factor secrets are in the archive: keep
it as secret as the database itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import django
from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "policycms-backup"
VERSION = 1
DATABASE_MEMBER = "database.json"
MANIFEST_MEMBER = "manifest.json"
MEDIA_PREFIX = "media/"

#: Models whose rows are not backed up (see the module's docstring).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "core.idempotencykey",
    "axes.accessattempt",
    "axes.accessfailurelog",
]
#: Rows that ``migrate`` itself creates: their presence does not make an installation "used".
SEEDED = {"auth.group"}


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


def _excluded(model) -> bool:
    label = model._meta.label_lower
    return label in EXCLUDED or model._meta.app_label in EXCLUDED


def backed_up_models() -> list:
    return [
        model
        for model in apps.get_models()
        if not _excluded(model) and model._meta.managed and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in backed_up_models()}


def media_files(prefix: str = "") -> Iterator[str]:
    """Every file name in the default storage, walked through its ``listdir``."""
    try:
        directories, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from media_files(f"{prefix}{directory}/")


def _last_migrations() -> dict[str, str]:
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    latest: dict[str, str] = {}
    for app, name in sorted(recorder.applied_migrations()):
        latest[app] = max(latest.get(app, name), name)
    return latest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _sha256_of(fileobj) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def create_backup(path: Path) -> dict:
    """Write the archive to ``path`` (through a temporary file, so a failed run leaves no
    half archive behind) and return its manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DATABASE_MEMBER
        # One transaction: the rows and their counts are one consistent picture.
        with transaction.atomic():
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                output=str(dump),
                verbosity=0,
            )
            counts = row_counts()
        with dump.open("rb") as handle:
            dump_sha, dump_size = _sha256_of(handle)
        partial = path.with_name(path.name + ".partial")
        files = []
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=DATABASE_MEMBER)
            for name in media_files():
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = default_storage.size(name)
                info.mtime = int(timezone.now().timestamp())
                with default_storage.open(name, "rb") as handle:
                    reader = _Hashing(handle)
                    archive.addfile(info, reader)
                files.append({"name": name, "size": info.size, "sha256": reader.hexdigest()})
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "database": {
                    "vendor": connections[DEFAULT_DB_ALIAS].vendor,
                    "django": django.get_version(),
                    "migrations": _last_migrations(),
                    "size": dump_size,
                    "sha256": dump_sha,
                },
                "counts": counts,
                "media": files,
            }
            _add_bytes(archive, MANIFEST_MEMBER, json.dumps(manifest, indent=2).encode())
        partial.replace(path)
    return manifest


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile(MANIFEST_MEMBER)
    except KeyError:
        raise BackupError("This is not a backup made by `manage.py backup`: no manifest.") from None
    manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError("This is not a backup made by `manage.py backup`.")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('version')}; this installation "
            f"reads version {VERSION}."
        )
    return manifest


def what_is_here() -> list[str]:
    """What makes this installation not empty: rows beyond what ``migrate`` creates, files."""
    found = [
        f"{count} {label}" for label, count in row_counts().items() if count and label not in SEEDED
    ]
    if next(media_files(), None) is not None:
        found.append("media files")
    return found


def _unapplied_migrations() -> list:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def restore_backup(path: Path, *, force: bool = False) -> dict:
    """Bring the archive at ``path`` into this installation and return its manifest.

    The database must be migrated (``manage.py migrate``) and, unless ``force``, empty.
    Everything in it is replaced: the tables are emptied first, then the rows loaded in one
    transaction (all or nothing), then the media written and each file checked by its hash.
    """
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the `with` below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} cannot be read as a .tar.gz archive ({exc}).") from None
    with archive:
        manifest = read_manifest(archive)
        if _unapplied_migrations():
            raise BackupError(
                "The database is not fully migrated: run `manage.py migrate` first, then "
                "restore again."
            )
        if not force:
            found = what_is_here()
            if found:
                raise BackupError(
                    "This installation is not empty (it has "
                    + ", ".join(found)
                    + "). Restore into an empty one, or add --force to replace everything "
                    "in it with the backup."
                )
        ours, theirs = _last_migrations(), manifest["database"]["migrations"]
        newer = sorted(app for app, name in theirs.items() if ours.get(app, "") < name)
        if newer:
            raise BackupError(
                "The backup was made by a newer version of the site (migrations of "
                + ", ".join(newer)
                + " this installation does not have): update the code first."
            )
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / DATABASE_MEMBER
            with archive.extractfile(DATABASE_MEMBER) as source, dump.open("wb") as target:
                sha, _size = _sha256_of(_Tee(source, target))
            if sha != manifest["database"]["sha256"]:
                raise BackupError("The database dump in this backup is damaged (its hash differs).")
            with transaction.atomic():
                # PostgreSQL refuses to TRUNCATE a table with deferred checks still pending in
                # this transaction; run them now (a no-op on a fresh connection).
                connections[DEFAULT_DB_ALIAS].check_constraints()
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(dump), verbosity=0)
        _restore_media(archive, manifest)
    return manifest


class _Hashing:
    """Reads from ``source``, keeping a SHA-256 of what passed."""

    def __init__(self, source):
        self.source, self.digest = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


class _Tee:
    """Reads from ``source`` and writes what it read to ``target``."""

    def __init__(self, source, target):
        self.source, self.target = source, target

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.target.write(chunk)
        return chunk


def _restore_media(archive: tarfile.TarFile, manifest: dict) -> None:
    for name in list(media_files()):
        default_storage.delete(name)
    for entry in manifest["media"]:
        name = entry["name"]
        try:
            member = archive.extractfile(MEDIA_PREFIX + name)
        except KeyError:
            raise BackupError(f"The media file {name} is missing from this backup.") from None
        saved = default_storage.save(name, File(member, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; check its settings.")
        with default_storage.open(name, "rb") as handle:
            sha, _size = _sha256_of(handle)
        if sha != entry["sha256"]:
            raise BackupError(f"The media file {name} in this backup is damaged.")


def summary(manifest: dict) -> str:
    counts = Counter({k: v for k, v in manifest["counts"].items() if v})
    rows = sum(counts.values())
    size = sum(entry["size"] for entry in manifest["media"])
    return (
        f"{rows} rows in {len(counts)} tables, {len(manifest['media'])} media files ({size} bytes)"
    )
