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


def _restores_migrated_data(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that restore the migrated data (``serialized_rollback``) run first among the
    transactional ones (pytest-django has put those last). After another transactional test's
    flush, the content types are made again with new ids, and restoring the snapshot of the
    migrated database would collide with them."""
    first = next((i for i, item in enumerate(items) if _transactional(item)), None)
    if first is None:
        return
    restoring = [item for item in items[first:] if _restores_migrated_data(item)]
    rest = [item for item in items[first:] if not _restores_migrated_data(item)]
    items[first:] = restoring + rest
