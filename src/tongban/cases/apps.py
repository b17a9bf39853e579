from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tongban.cases"
    label = "cases"
    verbose_name = "办件 Cases"

    def ready(self) -> None:
        # Registers the outbox consumer for case notices in every process (web, worker, tests).
        from tongban.cases import tasks  # noqa: F401
