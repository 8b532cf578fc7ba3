"""DRF throttles keyed on `core.http.client_ip`, not DRF's own reading of
X-Forwarded-For (which trusts whatever the client wrote when NUM_PROXIES is unset)."""

from rest_framework import throttling

from core.http import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_ip(request)
