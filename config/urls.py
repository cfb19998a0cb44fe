"""URL configuration: the editors' admin, the public site and the API."""

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config import countries, views
from config.robots import robots_txt
from core import health
from core.admin.image_picker import image_choices, image_preview
from core.admin.link_picker import link_targets
from core.sitemaps import sitemap_index, sitemap_section


class FaviconRedirect(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("img/favicon.ico")


urlpatterns = [
    # --- Production (issue 9): health endpoints for load balancers (see core.health).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # --- end of the production block
    path("admin/rich-text/link-targets/", link_targets, name="rich-text-link-targets"),
    path("admin/rich-text/images/", image_choices, name="rich-text-images"),
    path("admin/rich-text/images/preview/", image_preview, name="rich-text-image-preview"),
    # Before the admin's own catch-all: each staff member's two-factor sign-in pages.
    path("admin/2fa/", include("core.admin.twofactor")),
    # The editors' reports and the search across all content (core.admin.reports).
    path("admin/reports/", include("core.admin.reports")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # Exports first: their fixed paths (/events/feed/) must win over the pages' slugs.
    path("", include("events.urls_exports")),
    path("", include("publications.urls_exports")),
    # An index of paginated sections, one per registered content type (core.sitemaps).
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots-txt"),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    # The static address is read per request: at import the manifest may not exist yet
    # (``migrate`` runs before ``collectstatic`` in production).
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("", include("events.urls")),
    path("", include("initiatives.urls")),
    path("", include("publications.urls")),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggestions, name="search-suggestions"),
    path("countries/", countries.country_list, name="country-list"),
    path("countries/<slug:code>/", countries.country_detail, name="country-detail"),
    path("", views.home, name="home"),
    # Site pages at their paths in the tree (/about/team/): after every other address.
    path("", include("core.sitepages.urls")),
]

# --- Production (issue 9): uploads on local disk are served by Django unless a web server in
# front does it (SERVE_MEDIA=false); with object storage they are served by the bucket.
# Database outages answer 503 and other errors carry the request id (core.faults).
handler500 = "core.faults.server_error"

if settings.SERVE_MEDIA:
    from django.urls import re_path

    from core.media import serve_media

    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, re_path(rf"^{media_prefix}(?P<path>.+)$", serve_media, name="media"))
# --- end of the production block
