"""The site's URLs plus `/bench/bare/`, a Django view that does nothing: the yardstick the
page benchmark compares every page with (same server, same middleware, same run)."""

from django.http import HttpResponse
from django.urls import path

from volunteerbank.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
