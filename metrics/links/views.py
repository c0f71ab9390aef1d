"""/r/<code>, and the marketer's pages to create and disable tracked links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import submit_once
from accounts.access import editor_required
from partnerships import selectors as partnership_selectors

from ..models.links import CODE_PATTERN
from . import selectors, services
from .clicks import click_follow
from .forms import TrackedLinkForm

UTM_OVERRIDES = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


class LinkCodeConverter:
    """`/r/<link_code:code>`: only a well-formed code reaches the view; anything else
    (a slash, an encoded slash, CR/LF, an overlong code) is a 404 from the resolver."""

    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


@require_http_methods(["GET", "HEAD"])
def follow(request: HttpRequest, code: str) -> HttpResponse:
    """302 to the stored target, after the click is written; nothing in the request
    (query string, headers) takes part in where it goes."""
    target = click_follow(code=code, request=request)  # committed before the 302
    if target is None:
        raise Http404
    response = HttpResponseRedirect(target)
    # Each visit must reach us to be counted: no cached redirect, no shared cache.
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@editor_required
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_selectors.partnership_for_user(request.user, pk, write=True)
    if (done := submit_once.replay(request, partnership.get_absolute_url())) is not None:
        return done
    form = TrackedLinkForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                link = services.tracked_link_create(
                    partnership=partnership,
                    destination=data["destination"],
                    channel=data["channel"],
                    label=data["label"],
                    utms={name: data[name] for name in UTM_OVERRIDES},
                    by=request.user,
                )
                done.url = partnership.get_absolute_url()
        except submit_once.AlreadySubmitted as used:
            return used.response(request, partnership.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Tracked link %(link)s created.") % {"link": link.get_short_path()}
            )
            return redirect(partnership)
    return render(
        request, "metrics/tracked_link_form.html", {"form": form, "partnership": partnership}
    )


@editor_required
@require_POST
def link_disable(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.link_for_user(request.user, pk, write=True)
    services.tracked_link_disable(link=link, by=request.user)
    messages.success(
        request,
        _("Tracked link %(link)s disabled: it now answers “not found”.")
        % {"link": link.get_short_path()},
    )
    return redirect(link.partnership)
