"""The API's rich-text field: rendered for the reader on the way out, cleaned on the way in.

Every model serializer maps ``core.richtext.RichTextField`` to :class:`RichTextAPIField`
(registered once in ``CoreConfig.ready``), so an API body carries exactly what a page
would show its caller: references to our items as current URLs or, for items the caller
may not see, as text. Input is stored in the field's clean form (sanitised, references).

:class:`LibraryFileURLField` shows an image or document chosen from the media library as the
URL of its file, the shape a file field had before the library.
"""

from __future__ import annotations

from rest_framework import serializers

from core.richtext import RichTextField, clean_rich_text, render_rich_text


class RichTextAPIField(serializers.CharField):
    def to_representation(self, value) -> str:
        request = self.context.get("request")
        return str(render_rich_text(value, getattr(request, "user", None), absolute=True))

    def to_internal_value(self, data) -> str:
        return clean_rich_text(super().to_internal_value(data))


class LibraryFileURLField(serializers.URLField):
    """A media-library item as the absolute URL of its file; null without one (read-only).

    Declare it for a ``LibraryImageField``/``LibraryDocumentField`` and load the item with
    the row (``select_related``), so a list asks no query per row.
    """

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str | None:
        if not value or not value.file:
            return None
        url = value.file.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def register() -> None:
    # DRF looks model fields up along their class hierarchy; an entry for RichTextField
    # wins over the TextField one for every ModelSerializer in the project.
    serializers.ModelSerializer.serializer_field_mapping[RichTextField] = RichTextAPIField
