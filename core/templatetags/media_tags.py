"""Template tags for images: responsive ``<img>`` elements backed by WebP renditions.

Load with ``{% load media_tags %}``. Each tag takes a library image (``core.library.Image``),
an item with an image from the library (``image``, ``image_alt``, ``image_decorative``), or a
stored image file.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from core.images import crop_rendition, rendition, rendition_url
from core.library import Image
from core.links import absolute_url

register = template.Library()

DEFAULT_WIDTHS = "320,640,1024,1600"
DEFAULT_SIZES = "100vw"
# Open Graph readers (social networks, chat previews) ask for about 1200 pixels across,
# and show a card of 1.91:1: the crop around the image's focal point.
OG_IMAGE_WIDTH = 1200
OG_IMAGE_SIZE = (1200, 630)


def _widths(widths) -> list[int]:
    if isinstance(widths, str):
        widths = widths.replace(" ", "").split(",")
    return sorted({int(width) for width in widths if str(width).strip()})


@register.simple_tag
def responsive_image(
    image,
    *,
    alt: str | None = None,
    decorative: bool | None = None,
    sizes: str = DEFAULT_SIZES,
    widths=DEFAULT_WIDTHS,
    css_class: str = "",
    loading: str = "lazy",
    absolute: bool = False,
) -> str:
    """Render ``<img>`` with a WebP ``srcset`` at ``widths`` (never wider than the original).

    ``image`` is an image field file, or an object with ``image``, ``image_alt`` and
    ``image_decorative`` (any Illustrated model), whose alt text is then used unless
    ``alt`` is given. Decorative images get ``alt=""``. Renders nothing without an image.
    ``absolute`` writes full URLs on ``SITE_URL`` (feeds, the API).
    """
    address = absolute_url if absolute else str
    if hasattr(image, "image_alt") or hasattr(image, "image_decorative"):
        owner, image = image, image.image
        if alt is None:
            alt = getattr(owner, "image_alt_text", None) or owner.image_alt
        if decorative is None:
            decorative = owner.image_decorative
    if isinstance(image, Image):
        if alt is None:
            alt = image.alt_text
        image = image.file
    if not image:
        return ""
    alt = "" if decorative or alt is None else str(alt)
    candidates = {}
    for width in _widths(widths):
        made = rendition(image, width)
        if made:
            candidates[made[1]] = made
    if not candidates:
        return format_html(
            '<img src="{}" alt="{}" loading="{}" decoding="async"{}>',
            address(image.url),
            alt,
            loading,
            format_html(' class="{}"', css_class) if css_class else "",
        )
    srcset = ", ".join(f"{address(url)} {width}w" for url, width, _height in candidates.values())
    src, width, height = candidates[max(candidates)]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async"{}>',
        address(src),
        srcset,
        sizes,
        width,
        height,
        alt,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )


@register.simple_tag
def og_image_url(image) -> str:
    """Absolute URL of ``image`` at Open Graph size, for ``og:image``; "" without one.

    A library image gives its 1200 × 630 crop around the focal point; a bare file its
    1200-pixel-wide rendition.
    """
    if isinstance(image, Image):
        made = crop_rendition(image.file, *OG_IMAGE_SIZE, image.focal_point)
        url = made[0] if made else image.url
    else:
        url = rendition_url(image, OG_IMAGE_WIDTH)
    return absolute_url(url) if url else ""
