"""Uploads on local disk, served by Django when no web server or bucket does it (SERVE_MEDIA)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.static import serve

from core.caching import page_cache_exempt


@page_cache_exempt  # files are streamed from disk, never kept in the page cache
def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    # MEDIA_ROOT is read per request, not when the URLs load, so it can be changed in tests.
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Upload names are made unique by the storage, so a day in a browser or CDN is safe.
    patch_cache_control(response, public=True, max_age=settings.MEDIA_MAX_AGE)
    return response
