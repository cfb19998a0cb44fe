from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from core.api import fields

        from . import pagecache, registry
        from .checks import check_redirects, check_registry

        # Every publishable model is registered with core.registry, and completely.
        checks.register(check_registry, checks.Tags.models)
        # Renames redirect and removals answer 410 through one middleware (core.redirects).
        checks.register(check_redirects)
        # Rich text reaches the API rendered for its reader (see core.api.fields).
        fields.register()
        # Partners' webhooks fire on the saves of the types they can subscribe to.
        from .webhooks import events

        events.connect()
        # Authors, commenters and reviewers are told of moves and comments by e-mail.
        from . import notifications  # noqa: F401

        # Cached pages go out of date when any table of a registered type's app is written,
        # and when a library image or document changes (its alt text, file, focal point).
        registry.on_register(pagecache.watch)
        # ... and when a menu link is written: every page shows the menus (core.menus).
        from .menus import MenuItem

        pagecache.watch_models([MenuItem])

        # A deleted item's pending change goes with it (core.pending).
        from . import pending

        registry.on_register(pending.watch)

        # ... and when a library image or document changes (core.library).
        from .library import watch_library

        watch_library(pagecache.content_changed)
