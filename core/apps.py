from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from core.api import fields

        from . import pagecache, registry
        from .checks import check_registry

        # Every publishable model is registered with core.registry, and completely.
        checks.register(check_registry, checks.Tags.models)
        # Rich text reaches the API rendered for its reader (see core.api.fields).
        fields.register()
        # Cached pages go out of date when any table of a registered type's app is written.
        registry.on_register(pagecache.watch)
