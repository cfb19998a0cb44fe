"""The site's URLs plus two views that fail as a bug would, to see the 500 responses."""

from django.urls import path

from config.urls import handler500  # noqa: F401 - handler500
from config.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), path("api/v1/broken/", broken), *site_urlpatterns]
