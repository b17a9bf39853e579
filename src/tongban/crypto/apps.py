from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "tongban.crypto"
    label = "crypto"
    verbose_name = "密码 Crypto"
