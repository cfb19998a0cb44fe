"""Image and document uploads, checked by their content rather than their name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image_file(upload) -> None:
    """Accept only real JPEG, PNG, WebP or GIF images within the size and pixel limits."""
    if getattr(upload, "_committed", False):
        return  # already stored, so it was checked when it was uploaded
    if upload.size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            "This image is %(size)s; the limit is %(limit)s.",
            code="image_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.IMAGE_MAX_BYTES),
            },
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    "This image is %(width)s × %(height)s pixels; the limit is %(limit)s pixels.",
                    code="image_too_many_pixels",
                    params={"width": width, "height": height, "limit": settings.IMAGE_MAX_PIXELS},
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            "This file is not a readable image; upload a JPEG, PNG, WebP or GIF.",
            code="image_unreadable",
        ) from None
    finally:
        upload.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            "%(format)s images are not accepted; upload a JPEG, PNG, WebP or GIF.",
            code="image_format",
            params={"format": image_format},
        )


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
    """An ImageField whose uploads are checked by content (see validate_image_file)."""

    default_validators = [validate_image_file]
