from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        # Registers this app's content types with core.registry.
        from . import registry  # noqa: F401
