import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _cold_content_type_cache():
    """Every test starts with Django's in-process ContentType cache empty, so a query count
    does not depend on which tests happened to run before it in the same process."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
