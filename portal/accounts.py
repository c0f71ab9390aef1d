"""My accounts: a creator connects their own Instagram, TikTok or YouTube (OAuth), sees
what the brand gets from it, and revokes it. Only their own channels and connections:
anyone else's id answers 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import influencer_required
from collectors.creators import flow, oauth, selectors, services


@influencer_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/accounts/list.html",
        {"channels": selectors.portal_channels(request.user)},
    )


@influencer_required
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest, channel_pk: int) -> HttpResponse:
    """GET: what the brand will and will not see; POST: off to the platform's sign-in."""
    channel = selectors.portal_channel(request.user, channel_pk)
    app = oauth.BY_PLATFORM[channel.platform]
    if request.method == "POST":
        try:
            return redirect(flow.start(request.session, channel))
        except oauth.OAuthFailed as exc:
            messages.error(request, str(exc))
            return redirect("portal:accounts")
    response = render(request, "portal/accounts/connect.html", {"channel": channel, "app": app})
    # The form's answer redirects to the platform's sign-in: allow that one origin.
    response._csp_update = {"form-action": [oauth.origin_of(app)]}
    return response


@never_cache
@influencer_required
@require_GET
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    """The registered redirect URI: the platform sends the creator back here."""
    try:
        connection = flow.finish(request.session, request.user, slug, request.GET)
    except oauth.OAuthFailed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Connected %(name)s. The brand receives its numbers from now on.")
            % {"name": connection.name},
        )
    return redirect("portal:accounts")


@influencer_required
@require_POST
def revoke(request: HttpRequest, connection_pk: int) -> HttpResponse:
    connection = selectors.portal_connection(request.user, connection_pk)
    services.creator_revoke(connection=connection)
    messages.success(
        request,
        _("Disconnected %(name)s. Its tokens are deleted; numbers already received stay.")
        % {"name": connection.name},
    )
    return redirect("portal:accounts")
