from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's X-Session-Token, answering 401 (not 403) when no valid token is sent,
    so a phone knows to sign in again rather than that it lacks a right."""

    def authenticate_header(self, request) -> str:
        return 'Session-Token header="X-Session-Token"'
