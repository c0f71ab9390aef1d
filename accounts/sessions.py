"""Keep the idle timeout without writing the session on every page view.

A session expires SESSION_COOKIE_AGE after it was last saved. Saving it on every request
(SESSION_SAVE_EVERY_REQUEST) keeps that an exact idle timeout but adds BEGIN/UPDATE/COMMIT
to every authenticated GET. Instead the session is saved again only once
SESSION_REFRESH_AFTER seconds have passed since its last save, so a user idle for longer
than SESSION_COOKIE_AGE - SESSION_REFRESH_AFTER may be signed out a little early, never
late, and a busy user's session costs one write per SESSION_REFRESH_AFTER.
"""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESHED_AT = "_refreshed_at"


class SessionRefreshMiddleware:
    """Goes right after SessionMiddleware, which saves what this marks modified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No cookie (or logged out on this request): nothing to keep alive, and reading
        # an empty session must not create one.
        if session is None or session.session_key is None or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_AFTER:
            session[REFRESHED_AT] = now  # marks it modified: SessionMiddleware saves it
        return response
