from django.conf.locale.en.formats import *  # noqa: F403 (Django's, then ours on top)

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
