"""API rate limits: one allowance per personal token, and one per account for the browser."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class PersonalTokenRateThrottle(SimpleRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]`` requests per token, or per account when
    the caller is signed in through the browser. Anonymous calls are left to
    ``AnonRateThrottle``. A refused call is a 429 with ``Retry-After`` and the API's error body.

    Each token has an allowance of its own, so a runaway script is held back without stopping
    its owner's other scripts or their browser.
    """

    scope = "api"

    def get_rate(self) -> str | None:
        # Read on every request rather than from ``THROTTLE_RATES``, which DRF binds once at
        # import: a changed setting (override_settings, a reloaded configuration) takes effect.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(
                f"No rate for the {self.scope!r} scope in DEFAULT_THROTTLE_RATES") from None

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
