"""URL configuration: the editors' admin, the public site and the API."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from config import views
from config.robots import robots_txt
from core.admin.link_picker import link_targets
from core.sitemaps import registry_sitemaps

# One section per registered content type (core.registry).
SITEMAPS = registry_sitemaps()

urlpatterns = [
    path("admin/rich-text/link-targets/", link_targets, name="rich-text-link-targets"),
    # Before the admin's own catch-all: each staff member's two-factor sign-in pages.
    path("admin/2fa/", include("core.admin.twofactor")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # Exports first: their fixed paths (/events/feed/) must win over the pages' slugs.
    path("", include("events.urls_exports")),
    path("", include("publications.urls_exports")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("events.urls")),
    path("", include("initiatives.urls")),
    path("", include("publications.urls")),
    path("search/", views.search, name="search"),
    path("", views.home, name="home"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
