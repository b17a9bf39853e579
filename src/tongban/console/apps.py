from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "tongban.console"
    label = "console"
    verbose_name = "运营后台 Console"
