"""One pattern for every download: a builder per format behind one route table.

An app lists its exports once (``Export``: the address, how to load what the public may see,
how to build the file, its media type and download name); ``export_urls`` turns the list into
URL patterns served by one view. Loaders answer 404 for anything not public; builders make no
query of their own, so an export costs the same few queries whatever it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe


@dataclass(frozen=True)
class Export:
    route: str
    name: str
    #: The URL's keyword arguments -> what the file is made from (raise Http404 if not public).
    load: Callable[..., Any]
    #: What ``load`` returned -> the file's text or bytes.
    build: Callable[[Any], str | bytes]
    content_type: str
    #: What ``load`` returned -> the download's file name; None shows the file in the browser.
    filename: Callable[[Any], str] | None = None

    def serve(self, request: HttpRequest, **kwargs) -> HttpResponse:
        data = self.load(**kwargs)
        response = HttpResponse(self.build(data), content_type=self.content_type)
        if self.filename is not None:
            response["Content-Disposition"] = f'attachment; filename="{self.filename(data)}"'
        return response


#: Every export routed by ``export_urls``, in order: what ``core.redirects`` reads to know
#: which downloads lie under an item's page.
_routed: dict[str, Export] = {}


def export_urls(exports: Iterable[Export]) -> list[URLPattern]:
    exports = list(exports)
    _routed.update((e.name, e) for e in exports)
    return [path(e.route, require_safe(e.serve), name=e.name) for e in exports]


def registered() -> list[Export]:
    """The exports the URL configuration routes (once it is loaded)."""
    return list(_routed.values())
