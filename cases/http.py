def client_ip(request) -> str:
    """The address the connection came from. X-Forwarded-For is not trusted: anyone can
    set it, and the rate limit on reports would then be trivial to dodge. Behind a proxy,
    configure it to set REMOTE_ADDR (gunicorn's --forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
