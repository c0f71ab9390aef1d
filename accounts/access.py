"""Who may open what. Views use the decorators; the middleware is the backstop.

Roles: admins and managers change data, viewers only read, influencers only
see the portal. The middleware enforces the two rules that must hold for every
URL, including ones a future view forgets to decorate.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

# Paths an influencer may open. Everything else is the marketers' side.
INFLUENCER_PATHS = ("/portal/", "/accounts/", "/static/", "/healthz", "/r/", "/i18n/")
# Paths where a read-only marketer may still POST (their own account only).
VIEWER_WRITABLE_PATHS = ("/accounts/", "/i18n/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

View = Callable[..., HttpResponse]


def influencer_paths() -> tuple[str, ...]:
    """Where an influencer may go: the portal, their account, and the files its pages
    show (static, and the media the Django server serves under DEBUG: the thumbnails of
    their own posts; in production the reverse proxy serves media before the app)."""
    if settings.MEDIA_URL.startswith("/"):
        return (*INFLUENCER_PATHS, settings.MEDIA_URL)
    return INFLUENCER_PATHS


def marketer_required(view: View) -> View:
    """Any marketer may read; influencers get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_marketer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def editor_required(view: View) -> View:
    """Only admins and managers may change data; viewers get 403."""

    @marketer_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.can_edit:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def influencer_required(view: View) -> View:
    """Portal pages: only influencer users."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_influencer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class RoleAccessMiddleware:
    def __init__(self, get_response: View):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path_info
        # "/" itself is allowed: the home view sends influencers to the portal.
        if user.is_influencer and path != "/" and not path.startswith(influencer_paths()):
            raise PermissionDenied
        if (
            not user.is_influencer
            and not user.can_edit
            and request.method not in SAFE_METHODS
            and not path.startswith(VIEWER_WRITABLE_PATHS)
        ):
            raise PermissionDenied
        return None


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """What django-axes counts failures against: the email, lower-cased."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
