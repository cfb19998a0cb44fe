from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"

    def ready(self) -> None:
        # Registers this app's content types with core.registry.
        from . import registry  # noqa: F401
