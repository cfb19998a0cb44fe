"""Static files taken from installed Python packages, so that no third-party copy is committed.

``PackageFileFinder`` (in ``STATICFILES_FINDERS``) serves each file of ``FILES`` at its static
path: in development and tests through the finders, in production through ``collectstatic``
like any other static file. The accessibility checker's axe-core is the one such file: the
``axe-playwright-python`` package (in requirements.txt for the browser tests) ships it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path, PurePosixPath

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

#: Static path -> (the package that ships it, the file's path inside the package).
FILES: dict[str, tuple[str, str]] = {
    "vendor/axe-core/axe.min.js": ("axe_playwright_python", "axe.min.js"),
}

AXE_JS = "vendor/axe-core/axe.min.js"


def _source(static_path: str) -> Path | None:
    package, inner = FILES[static_path]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / inner
    return path if path.is_file() else None


class PackageFileFinder(BaseFinder):
    def check(self, **kwargs):
        return [
            Error(f"{package} does not ship {inner}, served as static {path}.", id="core.E901")
            for path, (package, inner) in FILES.items()
            if _source(path) is None
        ]

    def find(self, path, find_all=False, **kwargs):
        source = _source(path) if path in FILES else None
        if source is None:
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for path in FILES:
            source = _source(path)
            if source is None:
                continue
            storage = FileSystemStorage(location=str(source.parent))
            # collectstatic stores the file under the storage's prefix.
            storage.prefix = str(PurePosixPath(path).parent)
            yield source.name, storage
