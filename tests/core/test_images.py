"""Library images: uploads checked by content, stored without metadata, served as WebP
renditions that are cleaned when the file is replaced or the image deleted."""

import os
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.template import Context, Template
from PIL import Image

from core.images import image_dimensions, rendition_name, rendition_url, validate_image_file
from core.library import Image as LibraryImage
from tests.factories import make_image, make_organisation

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(
    image_format="JPEG", size=(40, 30), color=(200, 30, 30), mode="RGB", **save_options
) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, color).save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def jpeg_with_gps_and_orientation(orientation=6) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Camera maker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    return image_bytes(
        "JPEG", size=(40, 20), exif=exif.tobytes(), xmp=b"<x:xmpmeta>secret</x:xmpmeta>"
    )


def rejection(content: bytes, name="photo.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_image_file(upload(content, name))
    return caught.value


# Rejects


def test_text_file_named_jpg_is_rejected():
    error = rejection(b"Just some text, honestly a photo.\n" * 10, "photo.jpg")
    assert error.code == "image_unreadable"
    assert "not a readable image" in error.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>',
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    ],
    ids=["svg", "html", "pdf"],
)
def test_other_formats_renamed_png_are_rejected(content):
    assert rejection(content, "picture.png").code == "image_unreadable"


def test_real_image_in_a_format_we_do_not_serve_is_rejected():
    assert rejection(image_bytes("BMP"), "picture.png").code == "image_unreadable"
    assert rejection(image_bytes("TIFF"), "picture.jpg").code == "image_unreadable"


def test_truncated_jpeg_is_rejected():
    content = image_bytes("JPEG", size=(400, 300))
    assert rejection(content[: len(content) // 2]).code == "image_unreadable"


def test_oversize_file_is_rejected(settings):
    settings.IMAGE_MAX_BYTES = 1000
    buffer = BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(buffer, format="PNG")
    error = rejection(buffer.getvalue(), "big.png")  # a real PNG, only too heavy
    assert error.code == "image_too_large"
    assert "the limit is 1000\xa0bytes" in error.messages[0]


def test_decompression_bomb_is_rejected_with_a_clear_message():
    content = png_declaring(100_000, 100_000)
    assert len(content) < 200
    error = rejection(content, "innocent.png")
    assert error.code == "image_decompression_bomb"
    assert "decompression bomb" in error.messages[0]


def test_bomb_just_past_pillows_warning_threshold_is_rejected_too():
    # 10,000 × 10,000 is past Pillow's warning limit but short of its hard error.
    assert rejection(png_declaring(10_000, 10_000), "x.png").code == "image_decompression_bomb"


def test_image_over_the_pixel_limit_is_rejected_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    error = rejection(png_declaring(50, 50), "x.png")  # its pixel data is garbage
    assert error.code == "image_too_many_pixels"
    assert error.messages[0] == "This image is 50 × 50 pixels; the limit is 1000 pixels."


def test_animation_counts_the_pixels_of_every_frame(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    frames = [Image.new("RGB", (20, 20), (60 * i, 0, 0)) for i in range(4)]
    buffer = BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    error = rejection(buffer.getvalue(), "anim.gif")
    assert error.code == "image_too_many_pixels"
    assert "4 frames" in error.messages[0]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_real_images_are_accepted(image_format):
    validate_image_file(upload(image_bytes(image_format), "any-name.bin"))


@pytest.mark.django_db
def test_form_shows_the_bomb_message_not_a_generic_one():
    form_class = modelform_factory(LibraryImage, fields=["file", "title", "alt_text"])
    form = form_class(
        data={"title": "A chart", "alt_text": "A chart"},
        files={"file": upload(png_declaring(100_000, 100_000), "chart.png")},
    )
    assert not form.is_valid()
    assert "decompression bomb" in form.errors["file"][0]


@pytest.mark.django_db
def test_form_rejects_a_text_file_named_jpg():
    form_class = modelform_factory(LibraryImage, fields=["file", "title"])
    form = form_class(data={"title": "x"}, files={"file": upload(b"hello " * 50)})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "This file is not a readable image; upload a JPEG, PNG, WebP or GIF."
    ]


@pytest.mark.django_db
def test_save_without_form_validation_still_refuses_a_non_image():
    with pytest.raises(ValidationError):
        make_image(file=upload(b"not an image " * 20), alt_text="x")


# Metadata


@pytest.mark.django_db
def test_jpeg_with_gps_is_stored_without_exif_or_xmp_and_stands_upright():
    original = Image.open(BytesIO(jpeg_with_gps_and_orientation()))
    assert original.getexif().get_ifd(GPS_IFD)  # the test image does carry GPS
    picture = make_image(file=upload(jpeg_with_gps_and_orientation()), alt_text="A photo")
    picture.refresh_from_db()
    with Image.open(picture.file.path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert "xmp" not in stored.info
        assert stored.size == (20, 40)  # orientation 6: turned a quarter, as cameras mean it
    assert b"secret" not in Path(picture.file.path).read_bytes()
    assert b"Camera maker" not in Path(picture.file.path).read_bytes()


@pytest.mark.django_db
def test_png_text_chunks_are_dropped_and_colour_profile_kept():
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Someone private")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = image_bytes("PNG", pnginfo=info, icc_profile=icc)
    picture = make_image(file=upload(content, "chart.png"), alt_text="Chart")
    with Image.open(picture.file.path) as stored:
        assert "Author" not in stored.info
        assert stored.info.get("icc_profile") == icc


@pytest.mark.django_db
def test_stored_name_has_the_extension_of_the_real_format():
    picture = make_image(file=upload(image_bytes("PNG"), "diagram.jpg"), alt_text="A diagram")
    assert picture.file.name.endswith("diagram.png")
    assert picture.file.name.startswith("images/")


@pytest.mark.django_db
def test_animated_gif_stays_animated():
    frames = [Image.new("RGB", (20, 20), (60 * i, 0, 0)) for i in range(3)]
    buffer = BytesIO()
    frames[0].save(
        buffer, format="GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300]
    )
    picture = make_image(file=upload(buffer.getvalue(), "a.gif"), alt_text="x")
    with Image.open(picture.file.path) as stored:
        assert stored.n_frames == 3
        durations = []
        for index in range(3):
            stored.seek(index)
            durations.append(stored.info["duration"])
    assert durations == [100, 200, 300]


@pytest.mark.django_db
def test_saving_again_does_not_reencode_the_stored_file():
    picture = make_image(file=upload(image_bytes()), alt_text="A photo")
    name, mtime = picture.file.name, Path(picture.file.path).stat().st_mtime_ns
    picture.title = "Renamed"
    picture.save()
    picture.refresh_from_db()
    assert picture.file.name == name
    assert Path(picture.file.path).stat().st_mtime_ns == mtime


# Alt text


@pytest.mark.django_db
def test_image_without_alt_text_is_refused():
    organisation = make_organisation(image=upload(image_bytes()), image_alt="")
    with pytest.raises(ValidationError) as caught:
        organisation.clean()
    assert "image_alt" in caught.value.message_dict


@pytest.mark.django_db
def test_whitespace_is_not_alt_text():
    organisation = make_organisation(image=upload(image_bytes()), image_alt="   ")
    with pytest.raises(ValidationError):
        organisation.clean()


@pytest.mark.django_db
def test_decorative_image_needs_no_alt_text():
    organisation = make_organisation(
        image=upload(image_bytes()), image_alt="", image_decorative=True
    )
    organisation.clean()


@pytest.mark.django_db
def test_no_image_needs_no_alt_text():
    make_organisation().clean()


# Renditions


def render(template: str, **context) -> str:
    return Template("{% load media_tags %}" + template).render(Context(context))


def rendition_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "renditions"
    return sorted(folder.rglob("*.webp")) if folder.exists() else []


@pytest.fixture
def wide_picture(db):
    return make_image(
        file=upload(image_bytes("JPEG", size=(1200, 800))), alt_text="Delegates in the hall"
    )


def test_rendition_is_generated_once_and_reused(wide_picture, settings):
    first = rendition_url(wide_picture.file, 640)
    files = rendition_files(settings)
    assert len(files) == 1
    mtime = files[0].stat().st_mtime_ns
    second = rendition_url(wide_picture.file, 640)
    assert second == first
    assert rendition_files(settings) == files
    assert files[0].stat().st_mtime_ns == mtime


def stored(storage, names) -> list[str]:
    return [name for name in names if storage.exists(name)]


def test_replacing_an_image_deletes_the_renditions_of_the_old_one(wide_picture):
    old_file = wide_picture.file.name
    old = [rendition_name(old_file, width) for width in (320, 640)]
    for width in (320, 640):
        rendition_url(wide_picture.file, width)
    storage = wide_picture.file.storage
    assert stored(storage, old) == old

    picture = LibraryImage.objects.get(pk=wide_picture.pk)  # as an edit form loads it
    picture.file = upload(image_bytes("PNG", size=(900, 600)), name="new.png")
    picture.save()

    assert stored(storage, old) == []
    assert storage.exists(old_file)  # the old file stays: revisions still refer to it
    assert rendition_url(picture.file, 320).endswith("-320w.webp")
    assert stored(storage, [rendition_name(picture.file.name, 320)])


def test_deleting_an_image_deletes_its_renditions_and_no_other(db):
    kept = make_image(file=upload(image_bytes(size=(800, 600))))
    deleted = make_image(file=upload(image_bytes(size=(800, 600))))
    names = {}
    for picture in (kept, deleted):
        rendition_url(picture.file, 320)
        names[picture.pk] = rendition_name(picture.file.name, 320)
    storage = kept.file.storage

    LibraryImage.objects.get(pk=deleted.pk).delete()

    assert not storage.exists(names[deleted.pk])
    assert storage.exists(names[kept.pk])  # another image's renditions are left alone


def test_renditions_are_made_and_cleaned_on_a_storage_without_file_paths(db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    picture = make_image(file=upload(image_bytes(size=(1000, 500))))
    storage = picture.file.storage
    assert type(storage._wrapped).__name__ == "InMemoryStorage"

    url = rendition_url(picture.file, 320)
    name = rendition_name(picture.file.name, 320)
    assert url.endswith(name) and storage.exists(name)
    with storage.open(name) as handle, Image.open(handle) as made:
        assert made.size == (320, 160)

    picture.delete()
    assert not storage.exists(name)


def test_rendition_is_webp_at_the_asked_width_with_a_deterministic_name(wide_picture):
    url = rendition_url(wide_picture.file, 320)
    name = rendition_name(wide_picture.file.name, 320)
    assert url.endswith(name)
    assert name.startswith("renditions/") and name.endswith("-320w.webp")
    with wide_picture.file.storage.open(name) as handle, Image.open(handle) as made:
        assert made.format == "WEBP"
        assert made.size == (320, 213)


def test_rendition_never_upscales(wide_picture):
    url = rendition_url(wide_picture.file, 5000)
    assert url.endswith("-1200w.webp")


def test_rendition_url_without_image_is_empty(db):
    assert rendition_url(make_organisation().image, 640) == ""


def test_responsive_image_renders_srcset_and_sizes(wide_picture):
    html = render(
        '{% responsive_image picture sizes="(min-width: 60em) 50vw, 100vw"'
        ' widths="320,640,1024" %}',
        picture=wide_picture,
    )
    image = wide_picture.file
    srcset = ", ".join(f"{rendition_url(image, w)} {w}w" for w in (320, 640, 1024))
    assert html == (
        f'<img src="{rendition_url(image, 1024)}" srcset="{srcset}" '
        'sizes="(min-width: 60em) 50vw, 100vw" width="1024" height="683" '
        'alt="Delegates in the hall" loading="lazy" decoding="async">'
    )


def test_responsive_image_leaves_out_widths_larger_than_the_original(db):
    picture = make_image(file=upload(image_bytes("PNG", size=(500, 250)), "a.png"), alt_text="A")
    html = render('{% responsive_image org widths="320,640,1024" %}', org=picture)
    assert " 320w" in html and " 500w" in html
    assert "640w" not in html and "1024w" not in html
    assert 'width="500" height="250"' in html


def test_responsive_image_takes_alt_text_from_the_object(wide_picture):
    html = render("{% responsive_image org %}", org=wide_picture)
    assert 'alt="Delegates in the hall"' in html


def test_decorative_image_renders_empty_alt(db):
    organisation = make_organisation(
        image=make_image(file=upload(image_bytes()), alt_text="Ignored"), image_decorative=True
    )
    assert 'alt=""' in render("{% responsive_image org %}", org=organisation)
    assert 'alt=""' in render(
        "{% responsive_image org.image alt='x' decorative=True %}", org=organisation
    )


def test_item_alt_text_wins_over_the_library_one(wide_picture):
    organisation = make_organisation(image=wide_picture, image_alt="The hall, full")
    assert 'alt="The hall, full"' in render("{% responsive_image org %}", org=organisation)
    organisation.image_alt = ""
    assert 'alt="Delegates in the hall"' in render("{% responsive_image org %}", org=organisation)


def test_alt_text_is_escaped(wide_picture):
    html = render("{% responsive_image org alt=text %}", org=wide_picture, text='"><script>')
    assert "<script>" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;"' in html


def test_responsive_image_without_image_renders_nothing(db):
    assert render("{% responsive_image org %}", org=make_organisation()) == ""


def test_responsive_image_falls_back_to_the_original_when_it_cannot_be_read(wide_picture):
    Path(wide_picture.file.path).write_bytes(b"gone bad")
    html = render("{% responsive_image org %}", org=wide_picture)
    assert f'src="{wide_picture.file.url}"' in html
    assert "srcset" not in html


def test_dimensions_are_remembered(wide_picture):
    assert image_dimensions(wide_picture.file) == (1200, 800)
    Path(wide_picture.file.path).unlink()
    assert image_dimensions(wide_picture.file) == (1200, 800)


@pytest.mark.django_db
def test_form_upload_is_stored_stripped():
    form_class = modelform_factory(LibraryImage, fields=["title", "file", "alt_text"])
    form = form_class(
        data={"title": "Élysée", "alt_text": "The palace"},
        files={"file": upload(jpeg_with_gps_and_orientation(), "palace.jpeg")},
    )
    assert form.is_valid(), form.errors
    picture = form.save()
    with Image.open(picture.file.path) as stored:
        assert dict(stored.getexif()) == {}
    assert picture.file.name.endswith("palace.jpg")


@pytest.mark.django_db
def test_phone_jpeg_with_extra_frames_is_stored_as_a_plain_jpeg():
    buffer = BytesIO()
    first, depth = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    first.save(buffer, format="MPO", save_all=True, append_images=[depth])
    picture = make_image(file=upload(buffer.getvalue(), "IMG_0001.JPG"), alt_text="x")
    with Image.open(picture.file.path) as stored:
        assert stored.format == "JPEG"
        assert stored.getpixel((20, 15))[0] > 200  # the red picture, not the blue extra frame
    assert picture.file.name.endswith("IMG_0001.jpg")


def test_hero_image_can_load_eagerly_and_carry_a_class(wide_picture):
    html = render(
        '{% responsive_image org loading="eager" css_class="hero" widths="640" %}',
        org=wide_picture,
    )
    assert 'loading="eager"' in html
    assert 'class="hero"' in html
    assert html.count("w,") == 0 and " 640w" in html
