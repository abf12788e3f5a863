from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "etabli.documents"
    label = "documents"
    verbose_name = "Documents (GED)"

    def ready(self) -> None:
        # Registrations with the core (modules, menus, permissions, review handlers, time-saved actions,
        # webhook events, demo loader, API router) live in registrations.py when the app has them.
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.registrations"):
            import_module(f"{self.name}.registrations")
