"""The editors' reports, under ``/admin/reports/``: inventory, aging content, the scheduled
timeline, broken links, and one search box across every content type.

Every report lists the registered content types (``core.registry``) whose admin the user may
view; what each reads, and why it stays fast at 100k rows, is in ``core.reports``.

Who sees what: editors (the Editors and Administrators groups, superusers) see every report.
A contributor sees the inventory of their own items only (the owner filter is fixed to them)
and the search box; the other reports answer 403 to them, since they are about the whole
site's content (what is stale, what goes live, what is broken) and editors act on them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core import linkcheck, reports, workflow
from core.admin.publishable import PublishableAdmin
from core.admin.search import search_view
from core.publishing import Status
from core.registry import ContentType

DEFAULT_AGING_MONTHS = 12
DEFAULT_TIMELINE_DAYS = 30
MAX_TIMELINE_DAYS = 366


def report_types(request: HttpRequest, admin_site=admin.site) -> list[ContentType]:
    """The registered publishable types whose admin ``request.user`` may view."""
    found = []
    for content_type in reports.publishable_types():
        model_admin = admin_site._registry.get(content_type.model)
        if isinstance(model_admin, PublishableAdmin) and model_admin.has_view_permission(request):
            found.append(content_type)
    return found


def change_url(content_type: ContentType, pk) -> str:
    opts = content_type.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(pk)])


def _render(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        f"admin/reports/{template}",
        {
            **admin.site.each_context(request),
            "title": title,
            "is_editor": workflow.is_editor(request.user),
            **context,
        },
    )


def _require_editor(request: HttpRequest) -> None:
    if not workflow.is_editor(request.user):
        raise PermissionDenied("Only editors see this report.")


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def _filters(request: HttpRequest, types: list[ContentType]) -> tuple[reports.Filters, dict]:
    """The report's filters from the query string; a contributor's owner is always themself."""
    by_key = {reports.type_key(t): t for t in types}
    chosen = request.GET.get("type", "")
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    if workflow.is_editor(request.user):
        owner = request.GET.get("owner", "")
        owner_id = int(owner) if owner.isdigit() else None
    else:
        owner_id = request.user.pk
    filters = reports.Filters(
        types=[by_key[chosen]] if chosen in by_key else types, status=status, owner_id=owner_id
    )
    shown = {"type": chosen if chosen in by_key else "", "status": status, "owner": owner_id}
    return filters, shown


def _rows_for_template(rows: list[reports.Row]) -> list[dict]:
    return [{"row": row, "url": change_url(row.content_type, row.pk)} for row in rows]


def _filter_choices(request: HttpRequest, types: list[ContentType]) -> dict:
    owners = []
    if workflow.is_editor(request.user):
        owners = list(
            get_user_model()
            .objects.filter(is_staff=True)
            .order_by("username")
            .values_list("pk", "username")
        )
    return {
        "type_choices": [(reports.type_key(t), t.dashboard_label) for t in types],
        "status_choices": Status.choices,
        "owner_choices": owners,
    }


# ---------------------------------------------------------------------------------------------
# Views


@require_GET
def index_view(request: HttpRequest) -> TemplateResponse:
    return _render(request, "index.html", "Reports")


@require_GET
def inventory_view(request: HttpRequest) -> HttpResponse:
    """Every item with its type, state, owner, last change and pending changes; ``?format=csv``
    streams the whole filtered inventory as a CSV file."""
    types = report_types(request)
    filters, shown = _filters(request, types)
    if request.GET.get("format") == "csv":
        return _csv_response(filters)
    page = reports.content_page(filters, after=request.GET.get("after", ""))
    query = request.GET.copy()
    query.pop("after", None)
    return _render(
        request,
        "inventory.html",
        "Content inventory",
        rows=_rows_for_template(page.rows),
        next_after=page.after,
        query=query.urlencode(),
        shown=shown,
        own_only=not workflow.is_editor(request.user),
        **_filter_choices(request, types),
    )


@require_GET
def aging_view(request: HttpRequest) -> TemplateResponse:
    """Items not changed for ``?months=`` months (12 by default), oldest first."""
    _require_editor(request)
    types = report_types(request)
    filters, shown = _filters(request, types)
    months = _int(request.GET.get("months"), DEFAULT_AGING_MONTHS, 1, 600)
    filters.changed_before = reports.months_ago(months)
    page = reports.content_page(filters, after=request.GET.get("after", ""), descending=False)
    query = request.GET.copy()
    query.pop("after", None)
    return _render(
        request,
        "aging.html",
        "Aging content",
        rows=_rows_for_template(page.rows),
        next_after=page.after,
        query=query.urlencode(),
        shown=shown,
        months=months,
        since=filters.changed_before,
        **_filter_choices(request, types),
    )


@require_GET
def schedule_view(request: HttpRequest) -> TemplateResponse:
    """What goes live and what expires in the next ``?days=`` days (30 by default), by day."""
    _require_editor(request)
    days = _int(request.GET.get("days"), DEFAULT_TIMELINE_DAYS, 1, MAX_TIMELINE_DAYS)
    found, cut = reports.timeline(report_types(request), days=days)
    return _render(
        request,
        "schedule.html",
        "Scheduled timeline",
        days=days,
        timeline=[
            (day, [{"moment": m, "url": change_url(m.content_type, m.pk)} for m in moments])
            for day, moments in found
        ],
        cut=cut,
        limit=reports.TIMELINE_LIMIT,
    )


@require_http_methods(["GET", "POST"])
def links_view(request: HttpRequest) -> TemplateResponse:
    """References to items no longer public in published items' rich text; on POST (the
    *Check external links* button) also the external links that fail a HEAD request."""
    _require_editor(request)
    found = reports.links_in_rich_text(report_types(request))
    checked = None
    if request.method == "POST":
        results = linkcheck.check_all(list(found.external))
        checked = {
            "count": len(results),
            "failures": [
                {
                    "result": result,
                    "sources": [
                        {"source": s, "url": change_url(s.content_type, s.pk)}
                        for s in found.external[result.url]
                    ],
                }
                for result in results
                if not result.ok
            ],
        }
    return _render(
        request,
        "links.html",
        "Broken links",
        broken=[
            {"link": b, "url": change_url(b.source.content_type, b.source.pk)} for b in found.broken
        ],
        cut=found.cut,
        external_count=len(found.external),
        check_limit=linkcheck.MAX_LINKS,
        check_timeout=linkcheck.TIMEOUT,
        checked=checked,
    )


# ---------------------------------------------------------------------------------------------
# CSV

CSV_HEADER = [
    "type",
    "id",
    "title",
    "state",
    "owner",
    "last change",
    "publish at",
    "unpublish at",
    "pending changes",
    "admin address",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: keep it text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _when(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _csv_lines(filters: reports.Filters) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for row in reports.all_rows(filters):
        yield writer.writerow(
            [
                row.type_label,
                row.pk,
                _cell(row.title),
                row.state,
                _cell(row.owner),
                _when(row.updated_at),
                _when(row.publish_at),
                _when(row.unpublish_at),
                "yes" if row.pending else "",
                change_url(row.content_type, row.pk),
            ]
        )


def _csv_response(filters: reports.Filters) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(filters), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="content-inventory-{stamp}.csv"'
    return response


def _view(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("", _view(index_view), name="admin-reports"),
    path("inventory/", _view(inventory_view), name="admin-reports-inventory"),
    path("aging/", _view(aging_view), name="admin-reports-aging"),
    path("schedule/", _view(schedule_view), name="admin-reports-schedule"),
    path("links/", _view(links_view), name="admin-reports-links"),
    path("search/", _view(search_view), name="admin-reports-search"),
]
