"""The rich-text editor's image chooser: the media library searched by title, for staff only.

``GET /admin/rich-text/images/?q=summit`` answers
``{"results": [{"ref": "core.image:7", "title": "...", "alt": "...", "credit": "...",
"thumbnail": "/media/renditions/..."}]}``: the newest images first, those whose title, alt text
or tags hold every word typed. The editor stores the ``ref`` alone
(``<img data-ref="core.image:7">``); the site shows the image's renditions when the text is
shown (``core.richtext``).

``GET /admin/rich-text/images/preview/?ref=core.image:7`` redirects to that image's thumbnail,
so that the editor can show the images of a stored text, which keeps no URL of them.

Both answer only staff who may view the library's images (``core.view_image``).
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_GET

from core.library import Image
from core.references import IMAGE_LABEL, Ref

RESULTS = 12
MAX_QUERY = 100


def _may_view(request: HttpRequest) -> bool:
    return request.user.has_perm("core.view_image")


@require_GET
@staff_member_required
def image_choices(request: HttpRequest) -> JsonResponse:
    if not _may_view(request):
        return JsonResponse({"results": []}, status=403)
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY]
    images = Image.objects.all()
    for word in query.split():
        images = images.filter(
            Q(title__icontains=word) | Q(alt_text__icontains=word) | Q(tags__name__icontains=word)
        )
    results = [
        {
            "ref": str(Ref.to(image)),
            "title": image.title,
            "alt": image.alt_text,
            "credit": image.credit,
            "thumbnail": image.thumbnail_url(),
        }
        for image in images.distinct()[:RESULTS]
    ]
    return JsonResponse({"results": results})


@require_GET
@staff_member_required
def image_preview(request: HttpRequest) -> HttpResponseRedirect:
    ref = Ref.parse(request.GET.get("ref"))
    if ref is None or ref.label != IMAGE_LABEL or not _may_view(request):
        raise Http404("No such image.")
    image = Image.objects.filter(pk=ref.pk).first()
    url = image.thumbnail_url() if image is not None else ""
    if not url:
        raise Http404("No such image.")
    return HttpResponseRedirect(url)
