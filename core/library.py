"""The media library: images and documents as items of their own, chosen by any field.

An image or a PDF is uploaded once, with the content checks of ``core.images`` (images are
re-encoded without their metadata, PDFs must start like one), and carries its title, tags,
credit, licence and, for an image, its alt text and focal point. A content field that shows an
image or a document is a foreign key to the library (:class:`LibraryImageField`,
:class:`LibraryDocumentField`): replacing the file keeps every reference, and ``PROTECT``
means the database refuses to delete an item that something still uses.

Renditions are a cache of the stored file and belong to the library alone: made on first use
(or warmed when the image is saved in the admin), stored once under a name derived from the
file, and deleted when the file is replaced or the image deleted (see
``core.images.ImageUploadField``). Crops (``crop_url``) are centred on the focal point and
carry it in their names, so a moved focal point never serves a stale crop.

Where an item is used is asked of the models themselves (:func:`usages`): every foreign key
that points to the library, found through the library model's relations, plus the rich text
that shows it (``<img data-ref="core.image:7">``, read by ``core.references.used_by``; the
admin list's "used" column and filter read the same columns). Nothing here names a content
app.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.signals import post_delete, post_init, post_save

from core.images import (
    ImageUploadField,
    crop_rendition,
    delete_renditions,
    image_dimensions,
    pdf_extension,
    rendition,
    rendition_url,
    validate_pdf_file,
)
from core.references import Usage, item_title, rich_text_fields, used_by

#: The width of the thumbnail in the admin's lists and choosers (made when an image is saved).
THUMBNAIL_WIDTH = 160


class MediaTag(models.Model):
    """A word editors file images and documents under ("portraits", "summit 2025")."""

    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MediaItem(models.Model):
    """What images and documents share: a title, tags, who made it and under what licence."""

    title = models.CharField(max_length=250)
    tags = models.ManyToManyField(MediaTag, blank=True, related_name="+")
    credit = models.CharField(
        max_length=250, blank=True, help_text="Who made it, as it should be printed."
    )
    licence = models.CharField(
        max_length=100, blank=True, help_text="e.g. CC BY 4.0, or “All rights reserved”."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        return self.file.url if self.file else ""


def fraction_validators() -> list:
    return [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Image(MediaItem):
    """A picture in the library, with the alt text that goes with it and its focal point."""

    file = ImageUploadField(upload_to="images/%Y/%m/")
    alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it. A field that uses the "
        "image may give its own.",
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=fraction_validators(),
        help_text="0 is the left edge, 1 the right; click the picture to set it.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=fraction_validators(),
        help_text="0 is the top edge, 1 the bottom.",
    )

    class Meta(MediaItem.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message="The focal point must lie inside the picture.",
            )
        ]
        indexes = [
            # The changelist and choosers list the newest first.
            models.Index(fields=["-created_at"], name="image_newest_first"),
        ]

    @property
    def focal_point(self) -> tuple[float, float]:
        return (self.focal_x, self.focal_y)

    def rendition(self, width: int) -> tuple[str, int, int] | None:
        return rendition(self.file, width)

    def rendition_url(self, width: int) -> str:
        return rendition_url(self.file, width)

    def crop_url(self, width: int, height: int) -> str:
        """URL of a ``width`` × ``height`` crop around the focal point (the original's URL if
        none can be made)."""
        made = crop_rendition(self.file, width, height, self.focal_point)
        return made[0] if made else self.url

    def thumbnail_url(self) -> str:
        return rendition_url(self.file, THUMBNAIL_WIDTH)

    def dimensions(self) -> tuple[int, int] | None:
        return image_dimensions(self.file)


class Document(MediaItem):
    """A PDF in the library."""

    file = models.FileField(
        "PDF", upload_to="documents/%Y/", validators=[pdf_extension, validate_pdf_file]
    )

    class Meta(MediaItem.Meta):
        indexes = [models.Index(fields=["-created_at"], name="document_newest_first")]

    def clean(self) -> None:
        super().clean()
        if self.file and not getattr(self.file, "_committed", True):
            # A save that skips the form's validators (the shell, a loader) is checked too.
            try:
                validate_pdf_file(self.file)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None


class LibraryImageField(models.ForeignKey):
    """A content field that shows an image from the library: ``image = LibraryImageField()``.

    Optional by default; ``PROTECT``, so a used image cannot be deleted. The admin offers it
    as a search-as-you-type chooser (``core.admin.library.LibraryChoosersMixin``).
    """

    library_model = "core.Image"

    def __init__(self, to=None, on_delete=models.PROTECT, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("related_name", "+")
        super().__init__(to or self.library_model, on_delete, **kwargs)


class LibraryDocumentField(LibraryImageField):
    """A content field that offers a PDF from the library: ``pdf = LibraryDocumentField()``."""

    library_model = "core.Document"


def library_relations(model: type[models.Model]) -> list[models.ForeignKey]:
    """Every foreign key, on any model, that points to ``model`` (Image or Document)."""
    return [
        relation.field
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.one_to_many
        and relation.auto_created
        and not relation.concrete
        # The table behind the item's own tags points to it too, but is not a use of it.
        and not relation.related_model._meta.auto_created
    ]


def used_condition(model: type[models.Model]) -> Q | None:
    """A filter on ``model``'s rows: "something points to it or a rich text shows it" (one
    EXISTS per relation and per model with rich text, the same reading as :func:`usages`);
    None when nothing can."""
    condition = None
    for field in library_relations(model):
        exists = Q(Exists(field.model._default_manager.filter(**{field.attname: OuterRef("pk")})))
        condition = exists if condition is None else condition | exists
    # The reference as rich text stores it: data-ref="core.image:7".
    needle = Concat(
        Value(f'data-ref="{model._meta.label_lower}:'),
        Cast(OuterRef("pk"), models.CharField()),
        Value('"'),
        output_field=models.CharField(),
    )
    for text_model in django_apps.get_models():
        shown = Q()
        for name in rich_text_fields(text_model):
            shown |= Q(**{f"{name}__contains": needle})
        if shown:
            exists = Q(Exists(text_model._default_manager.filter(shown)))
            condition = exists if condition is None else condition | exists
    return condition


def usages(item: MediaItem) -> list[Usage]:
    """Where ``item`` is used: the rows whose fields point to it and the rich text that
    shows it. One query per field that can point to the library, however many rows do."""
    found = []
    for field in library_relations(type(item)):
        model = field.model
        has_status = "status" in {f.name for f in model._meta.concrete_fields}
        for row in model._default_manager.filter(**{field.attname: item.pk}).order_by():
            found.append(Usage(model, row.pk, item_title(row), row.status if has_status else ""))
    found += used_by(item)
    unique = {(usage.model, usage.pk): usage for usage in found}
    return sorted(
        unique.values(), key=lambda u: (str(u.model._meta.verbose_name), u.title.casefold())
    )


# ---------------------------------------------------------------------------------------------
# The renditions are a cache of the file and its focal point: this is where crops go stale.


def _remember_focal_point(sender, instance: Image, **kwargs) -> None:
    instance.__dict__["_stored_focal_point"] = (
        instance.__dict__.get("focal_x"),
        instance.__dict__.get("focal_y"),
    )


def _clean_moved_crops(sender, instance: Image, created: bool, **kwargs) -> None:
    before = instance.__dict__.get("_stored_focal_point")
    now = instance.focal_point
    if not created and before and None not in before and before != now and instance.file:
        delete_renditions(instance.file.storage, instance.file.name, crops_only=True)
    instance.__dict__["_stored_focal_point"] = now


post_init.connect(_remember_focal_point, sender=Image, dispatch_uid="library-focal-point")
post_save.connect(_clean_moved_crops, sender=Image, dispatch_uid="library-focal-point")


# ---------------------------------------------------------------------------------------------
# From file fields on items to the library (used by the content apps' data migrations)


def _item_title(row) -> str:
    for name in ("title", "name"):
        value = getattr(row, name, "")
        if value:
            return str(value)[:250]
    return ""


def move_files_to_library(
    apps, schema_editor, *, labels: list[str], old: str, new: str, library: str = "core.Image"
):
    """For each model in ``labels``: make a library item (``library``: core.Image or
    core.Document) of each distinct file in its ``old`` field, titled after the first item
    that had it (an image gets that item's alt text), and point its ``new`` field at it. A
    file shared by several items becomes one library item; the files stay where they are."""
    db = schema_editor.connection.alias
    Library = apps.get_model(library)
    has_alt = "alt_text" in {field.name for field in Library._meta.get_fields()}
    by_name = {item.file.name: item for item in Library.objects.using(db).all()}
    for label in labels:
        model = apps.get_model(label)
        for row in model._default_manager.using(db).exclude(**{old: ""}).order_by("pk"):
            name = getattr(row, old).name
            item = by_name.get(name)
            if item is None:
                title = _item_title(row) or PurePosixPath(name).stem
                # The stored file as it is: it was checked (and stripped) on upload.
                item = Library(title=title, file=name)
                if has_alt:
                    item.alt_text = getattr(row, "image_alt", "")[:250]
                item.save(using=db)
                by_name[name] = item
            model._default_manager.using(db).filter(pk=row.pk).update(**{f"{new}_id": item.pk})


def move_files_back(apps, schema_editor, *, labels: list[str], old: str, new: str, **kwargs):
    """The reverse: each item's ``old`` field gets the file of the library item it uses."""
    db = schema_editor.connection.alias
    for label in labels:
        model = apps.get_model(label)
        rows = model._default_manager.using(db).exclude(**{f"{new}_id": None})
        for row in rows.select_related(new):
            model._default_manager.using(db).filter(pk=row.pk).update(
                **{old: getattr(row, new).file.name}
            )


def watch_library(handler) -> None:
    """Connect ``handler`` (the page cache's invalidation) to every write to the library."""
    for model in (Image, Document):
        uid = f"library:{model._meta.label}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=uid)


# ---------------------------------------------------------------------------
# A picture on any item


class Illustrated(models.Model):
    """An optional image from the media library, with the alt text that must go with it."""

    image = LibraryImageField(help_text="Chosen from the media library: type to search.")
    image_alt = models.CharField(
        "image alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows here, for people who cannot see it. Leave empty to "
        "use the library's alt text.",
    )
    image_decorative = models.BooleanField(
        "image is decorative",
        default=False,
        help_text="Tick only if the image adds nothing a reader needs; it then needs no alt text.",
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.image_id and not self.image_decorative and not self.image_alt_text:
            raise ValidationError({"image_alt": "Describe the image for people who cannot see it."})

    @property
    def image_alt_text(self) -> str:
        """The alt text given here, else the library's; "" without an image."""
        if not self.image_id:
            return ""
        return self.image_alt.strip() or self.image.alt_text.strip()
