"""The partner REST API, version 1 (mounted at ``/api/v1/``).

Sessions are listed at ``sessions/`` (filter ``?event=<slug>`` for one programme) and
addressed at ``sessions/<event_slug>/<slug>/``, because a session's slug is unique only
within its event. A partner's own submissions live at ``submissions/sessions/``. The root,
``/api/v1/`` itself, lists every endpoint with its address.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from config.countries_api import CountryViewSet
from core import registry
from core.api.errors import json_not_found
from core.api.root import api_root_view
from core.api.webhooks import WebhookEndpointViewSet
from events.api import views as events
from initiatives import api as initiatives
from initiatives import open_data

app_name = "api"

router = SimpleRouter()
# Every registered content type with an API (core.registry); types addressed by more than
# one slug get their two routes below instead of the router's.
addressed_by_path = []
for content_type in registry.in_api():
    api = content_type.api
    if api.detail_path:
        addressed_by_path.append(api)
    else:
        router.register(api.prefix, api.viewset_class, basename=api.basename)
# The rows and operations that are not content types of their own.
router.register("submissions/sessions", events.SubmissionViewSet, basename="submission")
router.register("signatories", initiatives.SignatoryViewSet, basename="signatory")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("countries", CountryViewSet, basename="country")

# The root lists each endpoint by its path under /api/v1/.
endpoints = {prefix: f"{basename}-list" for prefix, _viewset, basename in router.registry}
endpoints |= {api.prefix: f"{api.basename}-list" for api in addressed_by_path}
endpoints |= {
    "open-data/initiatives.csv": "open-data-csv",
    "open-data/initiatives.json": "open-data-json",
    "schema": "schema",
    "docs": "docs",
}

urlpatterns = [
    path("", api_root_view(endpoints), name="root"),
    *(
        route
        for api in addressed_by_path
        for route in (
            path(
                f"{api.prefix}/",
                api.viewset_class.as_view({"get": "list"}),
                name=f"{api.basename}-list",
            ),
            path(
                f"{api.prefix}/{api.detail_path}",
                api.viewset_class.as_view({"get": "retrieve"}),
                name=f"{api.basename}-detail",
            ),
        )
    ),
    path("open-data/initiatives.csv", open_data.initiatives_csv, name="open-data-csv"),
    path("open-data/initiatives.json", open_data.initiatives_json, name="open-data-json"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    re_path(r"^[\s\S]*$", json_not_found),
]
