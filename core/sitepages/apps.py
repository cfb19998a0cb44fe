from django.apps import AppConfig


class SitePagesConfig(AppConfig):
    name = "core.sitepages"
    label = "sitepages"
    verbose_name = "Pages"

    def ready(self) -> None:
        # Registers the page type with core.registry.
        from . import registry  # noqa: F401
