from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "tongban.files"
    label = "files"
    verbose_name = "材料文件 Files"
