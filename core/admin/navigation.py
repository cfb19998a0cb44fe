"""The admin's sidebar and dashboard grouped by what editors do, not by application.

``grouped(app_list)`` regroups the list the admin site builds for each request
(``AdminSite.get_app_list``: the registered models this user may see, with their links) by a
mapping of model label -> group name. The mapping lives at the top of the chain
(``settings.ADMIN_NAVIGATION`` names its module: ``config.navigation``), so a module that
registers a model adds one line there; a registered model the mapping does not name is
listed under ``FALLBACK_GROUP``, never dropped.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.text import slugify

#: Where a registered model that the mapping does not name is listed.
FALLBACK_GROUP = "Other"


@cache
def _navigation() -> tuple[tuple[str, ...], dict[str, str]]:
    module = getattr(settings, "ADMIN_NAVIGATION", None)
    if not module:
        return (), {}
    return tuple(import_string(f"{module}.GROUPS")), dict(
        import_string(f"{module}.ADMIN_NAVIGATION")
    )


def _label(app: dict, model: dict) -> str:
    model_class = model.get("model")
    if model_class is not None:
        return model_class._meta.label
    return f"{app['app_label']}.{model['object_name']}"


def grouped(
    app_list: list[dict],
    mapping: dict[str, str] | None = None,
    groups: tuple[str, ...] | None = None,
) -> list[dict]:
    """``app_list`` (as the admin builds it) as groups shaped like its apps.

    Each group is a dict with ``name``, ``app_label`` (a slug, for CSS classes), ``app_url``
    (None: a group has no page of its own) and ``models`` (the admin's model dicts).
    """
    if mapping is None or groups is None:
        default_groups, default_mapping = _navigation()
        mapping = default_mapping if mapping is None else mapping
        groups = default_groups if groups is None else groups
    order = {label: position for position, label in enumerate(mapping)}
    members: dict[str, list[tuple[int, str, dict]]] = {}
    for app in app_list:
        for model in app["models"]:
            label = _label(app, model)
            group = mapping.get(label, FALLBACK_GROUP)
            members.setdefault(group, []).append(
                (order.get(label, len(order)), str(model["name"]), model)
            )
    names = [*groups, *sorted(set(members) - {*groups, FALLBACK_GROUP}), FALLBACK_GROUP]
    return [
        {
            "name": name,
            "app_label": f"group-{slugify(name)}",
            "app_url": None,
            "models": [model for _, _, model in sorted(members[name], key=lambda m: m[:2])],
        }
        for name in names
        if members.get(name)
    ]
