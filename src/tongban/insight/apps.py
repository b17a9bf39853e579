from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "tongban.insight"
    label = "insight"
    verbose_name = "统计 Insight"
