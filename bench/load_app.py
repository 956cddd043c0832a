"""The WSGI application bench/load.py serves with gunicorn: the project as deployed, plus one bare
Django view at ``/bench/bare/`` returning the same bytes as the breaches list, through the same
middleware, as the ceiling the API's own views are measured against. Nothing else imports it."""

import os
from pathlib import Path

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

BARE_BODY = Path(os.environ["BENCH_BARE_BODY"]).read_bytes()


def bare(request):
    return HttpResponse(BARE_BODY, content_type="application/json")


def _urlpatterns():
    from config.urls import urlpatterns

    return [path("bench/bare/", bare), *urlpatterns]


urlpatterns = _urlpatterns()
settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
