from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongban.core"
    label = "core"
    verbose_name = "基础 Core"

    def ready(self) -> None:
        # Registers the outbox wake-up in every process: only the worker autodiscovers ``tasks`` modules, so
        # without this a commit in a web process would wait for the next minute's sweep.
        from tongban.core import tasks  # noqa: F401
