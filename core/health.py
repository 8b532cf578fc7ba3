"""The state of the services the portal depends on, for `/health/`."""

from django.conf import settings
from django.db import DatabaseError, connection


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        return "down"


def broker_state() -> str:
    """'eager' when tasks run in-process (no REDIS_URL), else whether Redis answers a PING."""
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except redis.RedisError:
        return "down"
