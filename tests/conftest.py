import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from core.pending import DUE_KEY

    cache.clear()
    # As in a warm cache, the time of the next scheduled pending change is known (none is):
    # every request reads it from the cache, and only a cold cache looks it up (one query,
    # tested in tests/core/test_pending_changes.py), which page query counts leave out.
    cache.set(DUE_KEY, float("inf"), timeout=None)
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _page_cache_only_where_asked(request, settings):
    """The server-side page cache (core.pagecache) is off unless a test is marked
    ``page_cache``: the other tests count each page's own queries and expect every request to
    render. The cache's tests, the HTTP caching tests and the no-leak crawl run with it on."""
    if request.node.get_closest_marker("page_cache") is None:
        settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _cold_content_type_cache():
    """Every test starts with Django's in-process ContentType cache empty, so a query count
    does not depend on which tests happened to run before it in the same process."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
