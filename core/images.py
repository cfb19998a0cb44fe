"""Image and document uploads, checked by their content rather than their name.

An uploaded image is accepted only if Pillow recognises it as JPEG, PNG, WebP or
GIF, it is within the byte and pixel limits (the pixel count is read from the
header, before anything is decoded), and it decodes completely. Before it is
stored it is re-encoded from its pixels alone, so EXIF (camera, GPS), XMP and
comments never reach the public; the EXIF orientation is applied first so the
picture still stands the right way up. The ICC colour profile is kept.

Renditions (smaller WebP copies for ``srcset``) are made on first use, stored
under ``renditions/`` with a name derived from the source and the width, and
reused from then on. Everything goes through the storage API (no file paths), so
they work the same on local disk and on object storage; that a rendition exists is
remembered in the cache, so a page does not ask the storage about every width.
When an item's image is replaced or cleared, or the item is deleted, the renditions
of the old file are deleted (the old file itself is kept: revisions refer to it,
and a revert brings it back, with renditions made again on first use).
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_init, post_save
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALLOWED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# Image.info keys that carry picture, not personal data; everything else is dropped.
KEPT_INFO = {"icc_profile", "transparency", "duration", "loop", "background"}
RENDITION_DIR = "renditions"
RENDITION_QUALITY = 80
# How long "this rendition exists" is believed without asking the storage. Bounded because a
# cache local to one process does not hear that another process deleted the renditions.
RENDITION_KNOWN_SECONDS = 60 * 60

UNREADABLE = "This file is not a readable image; upload a JPEG, PNG, WebP or GIF."


def _unreadable() -> ValidationError:
    return ValidationError(UNREADABLE, code="image_unreadable")


def _too_many_pixels(width: int, height: int, frames: int = 1) -> ValidationError:
    if frames > 1:
        return ValidationError(
            "This animation has %(frames)s frames of %(width)s × %(height)s pixels; "
            "the limit is %(limit)s pixels in all.",
            code="image_too_many_pixels",
            params={
                "frames": frames,
                "width": width,
                "height": height,
                "limit": settings.IMAGE_MAX_PIXELS,
            },
        )
    return ValidationError(
        "This image is %(width)s × %(height)s pixels; the limit is %(limit)s pixels.",
        code="image_too_many_pixels",
        params={"width": width, "height": height, "limit": settings.IMAGE_MAX_PIXELS},
    )


def _bomb() -> ValidationError:
    return ValidationError(
        "This image declares far more pixels than it could reasonably hold (a "
        "“decompression bomb”) and was not opened; the limit is %(limit)s pixels.",
        code="image_decompression_bomb",
        params={"limit": settings.IMAGE_MAX_PIXELS},
    )


def _open(upload) -> Image.Image:
    """Open ``upload`` as one of the accepted formats, reading only its header.

    Pillow's own decompression-bomb guard (a warning past MAX_IMAGE_PIXELS, an
    error past twice that) becomes a validation error here rather than a log
    line or a server error.
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(upload, formats=ALLOWED_IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _unreadable() from None


def _frame_count(image: Image.Image) -> int:
    # A phone's JPEG often comes as MPO (extra frames for depth or preview); only
    # its first frame is the picture, and only that one is kept.
    return 1 if image.format == "MPO" else getattr(image, "n_frames", 1)


def _frames(image: Image.Image) -> list[Image.Image]:
    """Every frame of ``image``, decoded, as independent copies."""
    frames = []
    for index in range(_frame_count(image)):
        image.seek(index)
        frames.append(image.copy())
    return frames


def validate_image_file(upload) -> None:
    """Accept only real JPEG, PNG, WebP or GIF images within the size and pixel limits."""
    if getattr(upload, "_committed", False):
        return  # already stored, so it was checked when it was uploaded
    size = upload.size
    if size is None or size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            "This image is %(size)s; the limit is %(limit)s.",
            code="image_too_large",
            params={
                "size": filesizeformat(size or 0),
                "limit": filesizeformat(settings.IMAGE_MAX_BYTES),
            },
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with _open(upload) as image:
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise _too_many_pixels(width, height)
            # Counting frames reads frame headers only, nothing is decoded yet.
            frames = _frame_count(image)
            if frames * width * height > settings.IMAGE_MAX_PIXELS:
                raise _too_many_pixels(width, height, frames)
            image.verify()
        # verify() checks structure only; decoding every frame finds truncated
        # or corrupt data now, in the form, rather than when the file is stored.
        with _open(upload) as image:
            for _frame in _frames(image):
                pass
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise _unreadable() from None
    finally:
        upload.seek(position)


def strip_metadata(upload) -> tuple[bytes, str]:
    """Re-encode ``upload`` from its pixels alone; return the new bytes and their format.

    EXIF orientation is applied first; the ICC profile, transparency and animation
    timing are kept; EXIF, XMP, IPTC and comments are not.
    """
    with _open(upload) as image:
        image_format = "JPEG" if image.format == "MPO" else image.format
        kept = {key: value for key, value in image.info.items() if key in KEPT_INFO}
        frames_in = _frames(image)
    if len(frames_in) == 1:
        frames_in = [ImageOps.exif_transpose(frames_in[0])]
    frames = []
    for frame in frames_in:
        frame.info = {key: value for key, value in frame.info.items() if key in KEPT_INFO}
        frames.append(frame)
    first = frames[0]
    options: dict = {key: kept[key] for key in ("icc_profile",) if key in kept}
    if len(frames) > 1:
        options |= {"save_all": True, "append_images": frames[1:]}
        # Durations stay in each frame's info, where the encoder reads them frame by frame.
        options |= {key: kept[key] for key in ("loop",) if key in kept}
    if image_format == "JPEG":
        if first.mode not in ("RGB", "L", "CMYK"):
            first = first.convert("RGB")
        options |= {"quality": 90, "optimize": True}
    elif image_format == "WEBP":
        options |= {"quality": 90}
        if first.mode not in ("RGB", "RGBA"):
            first = first.convert("RGBA" if "A" in first.getbands() else "RGB")
    elif image_format == "PNG":
        options |= {"optimize": True}
    if "transparency" in first.info and image_format in ("PNG", "GIF"):
        options["transparency"] = first.info["transparency"]
    buffer = BytesIO()
    first.save(buffer, format=image_format, **options)
    return buffer.getvalue(), image_format


class ImageUploadFormField(forms.ImageField):
    """Checks the upload with validate_image_file first, for messages that say what is wrong."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        validate_image_file(upload)
        return super().to_python(data)


def validate_pdf_file(upload) -> None:
    """Accept only files that start like a PDF and are within the size limit."""
    if getattr(upload, "_committed", False):
        return
    if upload.size > settings.PDF_MAX_BYTES:
        raise ValidationError(
            "This PDF is %(size)s; the limit is %(limit)s.",
            code="pdf_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.PDF_MAX_BYTES),
            },
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(5)
    upload.seek(position)
    if head != b"%PDF-":
        raise ValidationError("This file is not a PDF.", code="pdf_invalid")


pdf_extension = FileExtensionValidator(["pdf"])


class ImageUploadField(models.ImageField):
    """An ImageField whose uploads are checked by content and stored without metadata."""

    default_validators = [validate_image_file]

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            # Saves that skip full_clean (the shell, services) are checked here too.
            validate_image_file(file)
            content, image_format = strip_metadata(file)
            # The stored name gets the extension of what the file really is.
            stem = PurePosixPath(file.name).stem or "image"
            file.name = stem + EXTENSIONS[image_format]
            file.file = ContentFile(content, name=file.name)
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadFormField, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            # The renditions are a cache of the stored file: this is where it is invalidated.
            post_init.connect(self._remember_stored_name, sender=cls, weak=False)
            post_save.connect(self._clean_replaced, sender=cls, weak=False)
            post_delete.connect(self._clean_deleted, sender=cls, weak=False)

    def _stored_names(self, instance) -> dict[str, str | None]:
        return instance.__dict__.setdefault("_stored_image_names", {})

    def _remember_stored_name(self, sender, instance, **kwargs):
        # The raw value as loaded (a name) is read without building a FieldFile; it is
        # absent if deferred, and a new upload has no stored name yet.
        value = instance.__dict__.get(self.attname)
        if isinstance(value, FieldFile) and value._committed:
            value = value.name
        self._stored_names(instance)[self.attname] = value if isinstance(value, str) else None

    def _clean_replaced(self, sender, instance, **kwargs):
        stored = self._stored_names(instance)
        old = stored.get(self.attname)
        new = getattr(instance, self.attname).name or None
        if old and old != new:
            delete_renditions(getattr(instance, self.attname).storage, old)
        stored[self.attname] = new

    def _clean_deleted(self, sender, instance, **kwargs):
        file = getattr(instance, self.attname)
        if file:
            delete_renditions(file.storage, file.name)


def image_dimensions(image_file) -> tuple[int, int] | None:
    """Width and height of a stored image, read once and then remembered in the cache."""
    if not image_file:
        return None
    key = _size_key(image_file.name)
    size = cache.get(key)
    if size is None:
        try:
            with image_file.storage.open(image_file.name, "rb") as handle:
                size = _open(handle).size
        except (OSError, ValidationError):
            logger.warning("Cannot read the stored image %s", image_file.name)
            return None
        cache.set(key, size, None)
    return tuple(size)


def _size_key(name: str) -> str:
    return "image-size:" + hashlib.sha256(name.encode()).hexdigest()


def _made_key(rendition: str) -> str:
    return "rendition:" + hashlib.sha256(rendition.encode()).hexdigest()


def _source_digest(source_name: str) -> str:
    return hashlib.sha256(source_name.encode()).hexdigest()[:12]


def rendition_name(source_name: str, width: int) -> str:
    """The storage name of the WebP rendition of ``source_name`` at ``width`` pixels."""
    digest = _source_digest(source_name)
    stem = PurePosixPath(source_name).stem[:60] or "image"
    return f"{RENDITION_DIR}/{digest[:2]}/{stem}-{digest}-{width}w.webp"


def delete_renditions(storage, source_name: str) -> list[str]:
    """Delete every rendition of ``source_name`` from ``storage``; return their names.

    The renditions of one source share a folder (the first two characters of its digest)
    and carry its digest in their names, so one listing of that folder finds them all.
    """
    digest = _source_digest(source_name)
    folder = f"{RENDITION_DIR}/{digest[:2]}"
    try:
        _dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        files = []
    except OSError:
        logger.warning("Cannot list the renditions of %s", source_name)
        return []
    deleted = []
    for file_name in files:
        if f"-{digest}-" in file_name and file_name.endswith(".webp"):
            name = f"{folder}/{file_name}"
            storage.delete(name)
            cache.delete(_made_key(name))
            deleted.append(name)
    cache.delete(_size_key(source_name))
    return deleted


def _rendition_width(image_file, width: int) -> int | None:
    size = image_dimensions(image_file)
    if size is None:
        return None
    return max(1, min(int(width), size[0]))  # never upscale


def _make_rendition(image_file, width: int, name: str) -> str:
    storage = image_file.storage
    with storage.open(image_file.name, "rb") as handle, _open(handle) as image:
        image.seek(0)
        picture = ImageOps.exif_transpose(image)
        if picture.mode not in ("RGB", "RGBA"):
            has_alpha = "A" in picture.getbands() or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
        height = max(1, round(picture.height * width / picture.width))
        picture = picture.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = BytesIO()
        picture.save(buffer, format="WEBP", quality=RENDITION_QUALITY, method=4)
    return storage.save(name, ContentFile(buffer.getvalue()))


def rendition(image_file, width: int) -> tuple[str, int, int] | None:
    """URL, width and height of the WebP rendition at ``width`` (or the source's own width).

    The rendition is made the first time it is asked for and reused afterwards.
    Returns None when the source cannot be read.
    """
    actual = _rendition_width(image_file, width)
    if actual is None:
        return None
    source_width, source_height = image_dimensions(image_file)
    height = max(1, round(source_height * actual / source_width))
    name = rendition_name(image_file.name, actual)
    storage = image_file.storage
    if not cache.get(_made_key(name)):
        if not storage.exists(name):
            try:
                name = _make_rendition(image_file, actual, name)
            except (OSError, ValidationError):
                logger.warning("Cannot make a rendition of %s", image_file.name)
                return None
        cache.set(_made_key(name), True, RENDITION_KNOWN_SECONDS)
    return storage.url(name), actual, height


def rendition_url(image_file, width: int) -> str:
    """The URL of ``image_file`` at most ``width`` pixels wide, as WebP (say for Open Graph).

    Falls back to the original's URL if no rendition can be made, and to "" without an image.
    """
    if not image_file:
        return ""
    made = rendition(image_file, width)
    return made[0] if made else image_file.url


class Illustrated(models.Model):
    """An optional image with the alt text that must go with it (any model with a picture)."""

    image = ImageUploadField(upload_to="images/%Y/%m/", blank=True)
    image_alt = models.CharField(
        "image alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it.",
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
        if self.image and not self.image_decorative and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the image for people who cannot see it."})
