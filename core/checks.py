"""System checks: every publishable model is registered with ``core.registry``, completely.

A publishable model nobody registered would be missing from search, the sitemap, the API
and the dashboard without anyone noticing; a registration that names a template, URL,
viewset or field that does not exist would fail only when a reader reaches it.
"""

from __future__ import annotations

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateTimeField
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import get_resolver

from . import fulltext, registry
from .publishing import Publishable

HINT_REGISTER = (
    "Register it in its app's registry.py with core.registry.register(...), "
    "imported from the app's AppConfig.ready()."
)


def publishable_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.proxy and not model._meta.swapped
    ]


def _error(id_: str, msg: str, hint: str, obj) -> checks.Error:
    return checks.Error(msg, hint=hint, obj=obj, id=f"core.{id_}")


def _template_errors(content_type, names: list[str]) -> list[checks.Error]:
    errors = []
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            errors.append(
                _error(
                    "E003",
                    f"{content_type.label} is registered with the template {name!r}, "
                    "which does not exist.",
                    "Create the template under templates/ or correct the registration.",
                    content_type.model,
                )
            )
    return errors


def _url_name_errors(content_type, names: list[str]) -> list[checks.Error]:
    known = get_resolver().reverse_dict
    errors = []
    for name in names:
        if name not in known:
            errors.append(
                _error(
                    "E004",
                    f"{content_type.label} is registered with the URL name {name!r}, "
                    "which no URL pattern has.",
                    "Add the route to the app's urls.py or correct the registration.",
                    content_type.model,
                )
            )
    return errors


def check_content_type(content_type: registry.ContentType) -> list[checks.Error]:
    """What is missing or wrong in one registration."""
    model, label = content_type.model, content_type.label
    errors: list[checks.Error] = []
    has_url = callable(getattr(model, "get_absolute_url", None))
    if has_url and content_type.page is None:
        errors.append(
            _error(
                "E002",
                f"{label} has pages (get_absolute_url) but is registered without page=.",
                "Pass page=registry.Page(list URL name, list template, detail template).",
                model,
            )
        )
    if content_type.page:
        page = content_type.page
        if not has_url:
            errors.append(
                _error(
                    "E002",
                    f"{label} is registered with a page but has no get_absolute_url().",
                    "Give the model a get_absolute_url() that reverses its detail route.",
                    model,
                )
            )
        errors += _template_errors(
            content_type, [name for name in (page.list_template, page.detail_template) if name]
        )
        if page.list_url_name:
            errors += _url_name_errors(content_type, [page.list_url_name])
        if content_type.search is None:
            errors.append(
                _error(
                    "E005",
                    f"{label} has public pages but is registered without search=.",
                    "Pass search=registry.Search(key, label, fields) so readers can find it.",
                    model,
                )
            )
        if content_type.sitemap is None:
            errors.append(
                _error(
                    "E006",
                    f"{label} has public pages but is registered without sitemap=.",
                    "Pass sitemap=registry.Sitemap() so search engines find its pages.",
                    model,
                )
            )
    if content_type.api:
        try:
            viewset = content_type.api.viewset_class
        except ImportError as error:
            errors.append(
                _error(
                    "E007",
                    f"{label} is registered with the API viewset "
                    f"{content_type.api.viewset!r}, which cannot be imported ({error}).",
                    "Give the dotted path of the viewset class, e.g. 'app.api.ThingViewSet'.",
                    model,
                )
            )
        else:
            if not hasattr(viewset, "as_view") or not hasattr(viewset, "get_queryset"):
                errors.append(
                    _error(
                        "E007",
                        f"{label} is registered with {content_type.api.viewset!r}, "
                        "which is not a viewset.",
                        "Name a DRF viewset (core.api.viewsets.ReadOnlyViewSet).",
                        model,
                    )
                )
    if content_type.search:
        for name in content_type.search.fields:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                errors.append(
                    _error(
                        "E008",
                        f"{label} is registered with the search field {name!r}, "
                        "which the model does not have.",
                        "List the model's own text fields, most important first.",
                        model,
                    )
                )
        if all(e.id != "core.E008" for e in errors):
            errors += _search_vector_errors(content_type)
        errors += _facet_errors(content_type)
    for name in content_type.changes_at:
        try:
            is_moment = isinstance(model._meta.get_field(name), DateTimeField)
        except FieldDoesNotExist:
            is_moment = False
        if not is_moment:
            errors.append(
                _error(
                    "E015",
                    f"{label} is registered with changes_at {name!r}, which is not a "
                    "date-time field of the model.",
                    "Name the DateTimeFields at which what its pages show changes by the clock.",
                    model,
                )
            )
    if content_type.feed:
        errors += _url_name_errors(content_type, [content_type.feed.url_name])
    if content_type.card.template:
        errors += _template_errors(content_type, [content_type.card.template])
    return errors


def _facet_path_problem(model, path: str, *, many: bool) -> str:
    """Why ``path`` (``"affiliation__country"``) names no field of ``model``; "" when it does.
    ``many``: it must end at a many-to-many relation (the topics)."""
    *hops, last = path.split("__")
    for hop in hops:
        try:
            field = model._meta.get_field(hop)
        except FieldDoesNotExist:
            return f"{model._meta.label} has no field {hop!r}"
        if not field.is_relation or field.many_to_many or field.one_to_many:
            return f"{hop!r} is not a relation to one item"
        model = field.related_model
    try:
        field = model._meta.get_field(last)
    except FieldDoesNotExist:
        return f"{model._meta.label} has no field {last!r}"
    if many and not field.many_to_many:
        return f"{last!r} is not a many-to-many field"
    if not many and field.is_relation:
        return f"{last!r} is a relation, not a country code"
    return ""


def _facet_errors(content_type: registry.ContentType) -> list[checks.Error]:
    facets = content_type.search.facets
    errors = []
    for kind, path, many in (("topics", facets.topics, True), ("country", facets.country, False)):
        problem = path and _facet_path_problem(content_type.model, path, many=many)
        if problem:
            errors.append(
                _error(
                    "E016",
                    f"{content_type.label} is registered with the {kind} facet {path!r}: "
                    f"{problem}.",
                    "Name the many-to-many field to the topics, and the path to a country "
                    "code through relations to one item (affiliation__country).",
                    content_type.model,
                )
            )
    return errors


def _search_vector_errors(content_type: registry.ContentType) -> list[checks.Error]:
    """The registry's search fields and weights are those of the table's stored vector."""
    search, model = content_type.search, content_type.model
    weights = search.weights
    if weights and (
        len(weights) != len(search.fields) or any(w not in fulltext.WEIGHTS for w in weights)
    ):
        return [
            _error(
                "E009",
                f"{content_type.label} is registered with the search weights {weights!r}, "
                f"which do not give one of {fulltext.WEIGHTS} to each of its search fields.",
                "Give one weight per field, most important first, or leave weights out.",
                model,
            )
        ]
    opts = model._meta
    declared = fulltext.declared_vectors().get((opts.app_label, opts.model_name))
    wanted = search.weighted_fields
    hint = (
        f"Add a migration to {opts.app_label} with core.fulltext.AddSearchVector("
        f"{opts.model_name!r}, fields={list(wanted)!r}) (after a RemoveSearchVector of the "
        "old one, if any), so that PostgreSQL stores and indexes what the registry searches."
    )
    if declared is None:
        return [
            _error(
                "E010",
                f"{content_type.label} is searchable but no migration gives its table a "
                "stored search vector.",
                hint,
                model,
            )
        ]
    if tuple(declared) != tuple(wanted):
        return [
            _error(
                "E011",
                f"{content_type.label} is registered to search {fulltext.spec(wanted)}, but "
                f"its stored search vector holds {fulltext.spec(declared)}.",
                hint,
                model,
            )
        ]
    return []


def check_registry(app_configs=None, **kwargs) -> list[checks.Error]:
    errors: list[checks.Error] = []
    for model in publishable_models():
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        content_type = registry.get(model)
        if content_type is None:
            errors.append(
                _error(
                    "E001",
                    f"{model._meta.label} is publishable but not registered as a content type: "
                    "search, the sitemap, the API router and the dashboard do not know it.",
                    HINT_REGISTER,
                    model,
                )
            )
            continue
        errors += check_content_type(content_type)
    return errors


REDIRECT_MIDDLEWARE = "core.redirects.RedirectFallbackMiddleware"


def check_redirects(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Renamed and removed items redirect or answer 410 only if the fallback middleware runs."""
    from django.conf import settings

    if REDIRECT_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        checks.Warning(
            f"{REDIRECT_MIDDLEWARE} is not in MIDDLEWARE: old addresses of renamed items answer "
            "404 instead of redirecting, and removed ones 404 instead of 410.",
            hint="Add it to MIDDLEWARE (see config/settings.py).",
            id="core.W010",
        )
    ]
