"""Language choice for a Chinese-first public service.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so a phone set to English would get the
English portal unasked, and browser tests would depend on the runner's locale. Here Chinese is the default and
English is an explicit choice, stored in Django's language cookie by ``set_language`` (the header switch).
API clients without that cookie negotiate with Accept-Language as usual.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class CookieLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            return super().process_request(request)  # API clients negotiate with Accept-Language
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
