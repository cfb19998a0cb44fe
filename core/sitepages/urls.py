"""The pages' addresses: their paths in the tree. Included last, after every other route, so
a page can never hide one of the site's own addresses (top-level slugs that would are refused
in ``Page.clean``)."""

from django.urls import re_path

from . import views

_SLUG = r"[-a-zA-Z0-9_]+"

urlpatterns = [
    # The last segment is the slug, so a pasted page address becomes a reference in rich text
    # like any other item's (core.references.refs_for_paths).
    re_path(
        rf"^(?:(?P<parents>{_SLUG}(?:/{_SLUG})*)/)?(?P<slug>{_SLUG})/$",
        views.page_detail,
        name="page-detail",
    ),
]
