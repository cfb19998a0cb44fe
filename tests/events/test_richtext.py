"""Rich text: the admin editor, and the allow-list that keeps scripts and styles off the pages."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django_prose_editor.widgets import AdminProseEditorWidget

from core.richtext import sanitise_html
from events.models import Organisation
from publications.models import NewsPost
from tests.factories import make_organisation

HOSTILE = {
    "script tag": '<p>Hello</p><script>alert("x")</script>',
    "script tag in odd case": "<p>Hello</p><ScRiPt>alert(1)</sCrIpT>",
    "event handler on image": '<p>Hello</p><img src="x" onerror="alert(1)">',
    "event handler on allowed tag": '<p onclick="alert(1)" onmouseover="alert(2)">Hello</p>',
    "javascript: link": '<p><a href="javascript:alert(1)">Hello</a></p>',
    "javascript: link hidden with entities": '<p><a href="jav&#x09;ascript:alert(1)">Hello</a></p>',
    "javascript: link in capitals with spaces": '<p><a href="  JAVASCRIPT:alert(1)">Hello</a></p>',
    "data: link": '<p><a href="data:text/html;base64,PHNjcmlwdD4=">Hello</a></p>',
    "vbscript: link": '<p><a href="vbscript:msgbox(1)">Hello</a></p>',
    "style attribute": '<p style="background:url(javascript:alert(1))">Hello</p>',
    "style tag": "<style>body { display: none }</style><p>Hello</p>",
    "link to a stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css"><p>Hello</p>',
    "iframe": '<p>Hello</p><iframe src="https://evil.example/"></iframe>',
    "object": '<p>Hello</p><object data="https://evil.example/x.swf"></object>',
    "embed": '<p>Hello</p><embed src="https://evil.example/x.swf">',
    "svg with onload": '<p>Hello</p><svg onload="alert(1)"><circle r="5"/></svg>',
    "svg with script": "<p>Hello</p><svg><script>alert(1)</script></svg>",
    "svg link with xlink:href": (
        '<p>Hello</p><svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'
    ),
    "math with link": '<p>Hello</p><math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "comment": "<p>Hello</p><!-- <script>alert(1)</script> -->",
    "conditional comment": "<p>Hello</p><!--[if IE]><script>alert(1)</script><![endif]-->",
    "form and input": '<form action="https://evil.example/"><input name="q"></form><p>Hello</p>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>Hello</p>',
    "base tag": '<base href="https://evil.example/"><p>Hello</p>',
    "target and id": '<p><a href="https://example.org/" target="_top" id="x">Hello</a></p>',
    "mutation via noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
}
FORBIDDEN = [
    "<script",
    "alert(",
    "onerror",
    "onclick",
    "onload",
    "onmouseover",
    "javascript:",
    "vbscript:",
    "data:",
    "style",
    "<link",
    "<iframe",
    "<object",
    "<embed",
    "<svg",
    "<math",
    "xlink",
    "<!--",
    "<form",
    "<input",
    "<meta",
    "<base",
    "target=",
    "id=",
    "<img",
]


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, f"{needle!r} survived in {html!r}"


@pytest.mark.parametrize("dirty", HOSTILE.values(), ids=HOSTILE.keys())
def test_sanitiser_removes_hostile_markup(dirty):
    assert_harmless(sanitise_html(dirty))


@pytest.mark.parametrize("dirty", HOSTILE.values(), ids=HOSTILE.keys())
def test_sanitiser_keeps_the_text_around_hostile_markup(dirty):
    if "Hello" in dirty.split("<noscript>")[0]:
        assert "Hello" in sanitise_html(dirty)


def test_allowed_markup_survives_unchanged_apart_from_link_rel():
    html = (
        "<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4>"
        "<p><strong>strong</strong> <em>emphasis</em> <s>gone</s> <code>x</code> "
        'H<sub>2</sub>O x<sup>2</sup> <a href="https://example.org/a?b=1&amp;c=2" '
        'title="A link">link</a> <a href="mailto:press@example.org">mail</a><br>next</p>'
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"
        "<blockquote><p>Quoted</p></blockquote><hr>"
    )
    expected = html.replace('title="A link">', 'title="A link" rel="noopener noreferrer">').replace(
        'example.org">', 'example.org" rel="noopener noreferrer">'
    )
    assert sanitise_html(html) == expected


def test_heading_one_becomes_text_because_the_page_title_is_the_only_h1():
    assert sanitise_html("<h1>Title</h1>") == "Title"


def test_empty_and_blank_editor_output_is_stored_as_empty():
    assert sanitise_html(None) == ""
    assert sanitise_html("<p></p>") == ""
    assert sanitise_html("<p><br></p>\n<p> </p>") == ""
    assert sanitise_html("<script>alert(1)</script>") == ""


@pytest.mark.django_db
def test_model_save_sanitises_whatever_is_assigned():
    organisation = make_organisation(
        description='<p onclick="x()">About <a href="javascript:alert(1)">us</a></p>'
        "<script>1</script>",
    )
    organisation.refresh_from_db()
    assert organisation.description == '<p>About <a rel="noopener noreferrer">us</a></p>'


@pytest.mark.django_db
def test_model_save_sanitises_on_update_too():
    organisation = make_organisation(description="<p>Fine</p>")
    organisation.description = '<p>Fine</p><img src=x onerror="alert(1)">'
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.description == "<p>Fine</p>"


def admin_form(model):
    model_admin = admin.ModelAdmin(model, admin.site)
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_active=True)
    return model_admin.get_form(request)


@pytest.mark.django_db
def test_admin_form_uses_the_editor_without_any_cdn():
    form = admin_form(Organisation)()
    field = form.fields["description"]
    assert isinstance(field.widget, AdminProseEditorWidget)
    assert "admin-extra/rich-text.css" in str(form.media)
    media = str(form.media)
    assert "/static/django_prose_editor/editor.js" in media
    assert "http://" not in media
    assert "https://" not in media
    rendered = str(form["description"])
    assert "data-django-prose-editor-configurable" in rendered


def test_editor_offers_only_markup_the_allow_list_keeps():
    from core.richtext import ALLOWED_TAGS, ALLOWED_URL_SCHEMES, EDITOR_EXTENSIONS

    assert EDITOR_EXTENSIONS["Heading"] == {"levels": [2, 3, 4]}
    assert set(EDITOR_EXTENSIONS["Link"]["protocols"]) <= ALLOWED_URL_SCHEMES
    assert EDITOR_EXTENSIONS["Link"]["enableTarget"] is False
    assert {"h2", "h3", "h4", "ul", "ol", "li", "a", "blockquote", "em", "strong"} <= ALLOWED_TAGS


@pytest.mark.django_db
@pytest.mark.parametrize("dirty", HOSTILE.values(), ids=HOSTILE.keys())
def test_admin_form_field_cleans_hostile_markup(dirty):
    form = admin_form(Organisation)(data={"description": dirty})
    form.is_valid()
    assert "description" not in form.errors
    assert_harmless(form.cleaned_data["description"])


@pytest.mark.django_db
def test_admin_form_keeps_allowed_markup():
    html = '<h2>Aims</h2><p><em>Open</em> <a href="https://example.org/">AI</a></p>'
    form = admin_form(Organisation)(data={"description": html})
    form.is_valid()
    assert form.cleaned_data["description"] == html.replace('/">', '/" rel="noopener noreferrer">')


@pytest.mark.django_db
@pytest.mark.parametrize("empty", ["<p></p>", "<script>alert(1)</script>", "<p><br></p>"])
def test_required_rich_text_with_nothing_left_after_cleaning_is_refused(empty):
    form = admin_form(NewsPost)(data={"body": empty})
    form.is_valid()
    assert "This field is required." in form.errors["body"]
