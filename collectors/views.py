"""Data sources: list, set up, edit, pull now, pause and resume; "Pull now" on a
partnership or a campaign (every source covering it)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.access import editor_required, marketer_required
from campaigns.selectors import campaign_for_user
from partnerships.selectors import partnership_for_user

from . import selectors, services
from .forms import ConnectionForm

PAGE_SIZE = 25


@marketer_required
def connection_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.connection_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "collectors/connection_list.html", {"page": page, "query": ""})


@sensitive_post_parameters("credential")
@editor_required
def connection_create(request: HttpRequest) -> HttpResponse:
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.connection_create(
                by=request.user,
                provider=form.cleaned_data["provider"],
                credential=form.cleaned_data["credential"],
                **form.connection_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Added %(name)s. Its first pull is queued.") % {"name": connection.name}
            )
            services.connection_pull_now(connection=connection)
            return redirect("collectors:list")
    return render(request, "collectors/connection_form.html", {"form": form})


@sensitive_post_parameters("credential")
@editor_required
def connection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_for_user(request.user, pk, write=True)
    if connection.is_creator_grant:  # the creator's login: only they grant or revoke it
        raise PermissionDenied
    form = ConnectionForm(request.POST or None, instance=connection)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_update(
                connection=connection,
                credential=form.cleaned_data["credential"],
                **form.connection_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("collectors:list")
    return render(
        request, "collectors/connection_form.html", {"form": form, "connection": connection}
    )


@require_POST
@editor_required
def connection_pull_now(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_for_user(request.user, pk, write=True)
    if services.connection_pull_now(connection=connection):
        messages.success(request, _("A pull of %(name)s is queued.") % {"name": connection.name})
    else:
        messages.warning(
            request,
            _("%(name)s cannot be pulled now: %(state)s.")
            % {"name": connection.name, "state": connection.get_state_display()},
        )
    return redirect("collectors:list")


@require_POST
@editor_required
def connection_pause(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_for_user(request.user, pk, write=True)
    services.connection_pause(connection=connection)
    messages.success(request, _("Paused %(name)s.") % {"name": connection.name})
    return redirect("collectors:list")


@require_POST
@editor_required
def connection_resume(request: HttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_for_user(request.user, pk, write=True)
    services.connection_resume(connection=connection)
    messages.success(request, _("Resumed %(name)s.") % {"name": connection.name})
    return redirect("collectors:list")


def _pulls_queued(request: HttpRequest, queued: int) -> None:
    if queued:
        messages.success(
            request,
            ngettext(
                "A pull of %(count)d data source is queued; the numbers arrive in a few minutes.",
                "Pulls of %(count)d data sources are queued; the numbers arrive in a few minutes.",
                queued,
            )
            % {"count": queued},
        )
    else:
        messages.warning(request, _("No working data source covers this; nothing was queued."))


@require_POST
@editor_required
def partnership_pull_now(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_for_user(request.user, pk, write=True)
    _pulls_queued(request, services.connections_pull_for_partnership(partnership=partnership))
    return redirect("partnerships:detail", pk=partnership.pk)


@require_POST
@editor_required
def campaign_pull_now(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request.user, pk, write=True)
    _pulls_queued(request, services.connections_pull_for_campaign(campaign=campaign))
    return redirect("campaigns:detail", pk=campaign.pk)
