from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tongban.notify"
    label = "notify"
    verbose_name = "消息 Notify"

    def ready(self) -> None:
        # Web processes and tests emit and deliver too; the worker's autodiscovery alone would miss them.
        from tongban.notify import tasks  # noqa: F401
