from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "etabli.core"
    label = "core"
    verbose_name = "Établi"

    def ready(self) -> None:
        # Signals (audit of every write), system checks (etabli check --deploy) and the core's own
        # registrations (modules, permissions, webhook events, time-saved actions).
        from etabli.core import checks, registrations, signals  # noqa: F401
