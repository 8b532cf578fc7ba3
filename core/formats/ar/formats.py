from django.conf.locale.ar.formats import *  # noqa: F403 (Django's, then ours on top)

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F، Y H:i"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
