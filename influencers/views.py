from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import submit_once
from accounts.access import editor_required, marketer_required
from common.formatting import count_text

from . import selectors, services
from .filters import InfluencerFilter
from .forms import ChannelForm, InfluencerForm, ResearchForm, StageForm, new_channel_formset
from .invite import influencer_invite
from .models import Channel, Stage, tier_for
from .templatetags.influencer_tags import tier_badge

PAGE_SIZE = 25
# A column shows this many cards; the rest are one click away in the filtered list.
BOARD_CARDS_PER_STAGE = 40


@marketer_required
def influencer_list(request: HttpRequest) -> HttpResponse:
    filterset = InfluencerFilter(
        request.GET or None, queryset=selectors.influencer_list(request.user)
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "influencers/influencer_list.html",
        {"form": filterset.form, "page": page, "query": query.urlencode(), "stages": Stage},
    )


@marketer_required
def influencer_pick(request: HttpRequest) -> HttpResponse:
    """Search results for pickers (HTMX): the typed text arrives as `q` or as the name of
    the input that asked."""
    text = request.GET.get("q") or request.GET.get("influencer_query") or ""
    picks = selectors.influencer_picks(request.user, text[:200])
    return render(
        request, "influencers/_picker_results.html", {"picks": picks, "text": text.strip()}
    )


@marketer_required
def influencer_board(request: HttpRequest) -> HttpResponse:
    context = _board_context(request)
    context["stages"] = Stage.choices
    return render(request, "influencers/influencer_board.html", context)


def _board_context(request: HttpRequest, error: str = "") -> dict:
    columns = selectors.board_columns(request.user, per_stage=BOARD_CARDS_PER_STAGE)
    # Up to 280 cards, so a card is its name, profile link and reach, each prepared here
    # at the cost of a string operation (a template filter or tag per card costs more
    # than the rest of the page). Moving is one menu shared by every card (the page's).
    detail = reverse("influencers:detail", args=[CARD_PK])
    no_channels = _("no channels")
    badges: dict[str | None, str] = {}  # one badge per tier, not one per card
    for column in columns:
        for card in column.cards:
            card.detail_url = detail.replace(str(CARD_PK), str(card.pk))
            followers = card.max_followers
            if followers is None:
                card.reach = no_channels
                continue
            tier = tier_for(followers)
            if tier not in badges:
                badges[tier] = tier_badge(followers)
            # count_text gives digits and commas only: nothing to escape.
            card.reach = mark_safe(f"{count_text(followers)} {badges[tier]}")  # noqa: S308
    return {"columns": columns, "board_error": error}


CARD_PK = 987654321  # a stand-in pk, replaced by each card's own in the URLs above


@editor_required
def influencer_create(request: HttpRequest) -> HttpResponse:
    if (done := submit_once.replay(request)) is not None:
        return done
    form = InfluencerForm(request.POST or None, initial={"owner": request.user})
    channel_rows = new_channel_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and channel_rows.is_valid():
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                influencer = services.influencer_create(
                    by=request.user, channels=channel_rows.channels(), **form.cleaned_data
                )
                done.url = influencer.get_absolute_url()
        except submit_once.AlreadySubmitted as used:
            return used.response(request)
        except ValidationError as exc:  # an email or channel taken by someone a moment ago
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added %(name)s.") % {"name": influencer})
            return redirect(influencer)
    return render(
        request,
        "influencers/influencer_form.html",
        {"form": form, "channel_rows": channel_rows},
    )


@editor_required
def influencer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk, write=True)
    form = InfluencerForm(request.POST or None, instance=influencer)
    if request.method == "POST" and form.is_valid():
        services.influencer_update(influencer=influencer, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(influencer)
    return render(
        request, "influencers/influencer_form.html", {"form": form, "influencer": influencer}
    )


@marketer_required
def influencer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk)
    checklist = selectors.research_checklist(influencer)
    return render(
        request,
        "influencers/influencer_detail.html",
        {
            "influencer": influencer,
            "channels": influencer.channels.all(),
            "history": selectors.stage_history(influencer),
            "checklist": checklist,
            "research_missing": selectors.research_missing(influencer, checklist),
            "stage_form": StageForm(initial={"stage": influencer.stage}),
            "channel_form": ChannelForm(influencer=influencer),
        },
    )


@editor_required
@require_POST
def influencer_move(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk, write=True)
    form = StageForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            influencer = services.influencer_move_stage(
                influencer=influencer, to_stage=form.cleaned_data["stage"], by=request.user
            )
        except ValidationError as exc:
            error = exc.messages[0]
            if exc.code == "research_incomplete":
                error = format_html(
                    '{} <a href="{}">{}</a>',
                    error,
                    reverse("influencers:research", args=[influencer.pk]),
                    _("Open the research checklist"),
                )
    else:
        error = _("Choose a stage.")
    if request.headers.get("HX-Request") and request.POST.get("from") == "board":
        return render(request, "influencers/_board.html", _board_context(request, error))
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Moved to %(stage)s.") % {"stage": influencer.get_stage_display()}
        )
    return redirect(influencer)


@editor_required
def channel_add(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk, write=True)
    form = ChannelForm(request.POST or None, influencer=influencer)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_add(influencer=influencer, **_channel_fields(form))
        except ValidationError as exc:
            form.add_error("handle", exc)
        else:
            messages.success(request, _("Added %(channel)s.") % {"channel": channel})
            return redirect(influencer)
    return render(
        request, "influencers/channel_form.html", {"form": form, "influencer": influencer}
    )


@editor_required
def channel_edit(request: HttpRequest, pk: int, channel_pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk, write=True)
    channel = get_object_or_404(Channel, pk=channel_pk, influencer=influencer)
    form = ChannelForm(request.POST or None, instance=channel, influencer=influencer)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(channel=channel, **_channel_fields(form))
        except ValidationError as exc:
            form.add_error("handle", exc)
        else:
            messages.success(request, _("Saved %(channel)s.") % {"channel": channel})
            return redirect(influencer)
    return render(
        request,
        "influencers/channel_form.html",
        {"form": form, "influencer": influencer, "channel": channel},
    )


@editor_required
@require_POST
def channel_delete(request: HttpRequest, pk: int, channel_pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk, write=True)
    channel = get_object_or_404(Channel, pk=channel_pk, influencer=influencer)
    try:
        services.channel_remove(channel=channel)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Removed %(channel)s.") % {"channel": channel})
    return redirect(influencer)


def _channel_fields(form: ChannelForm) -> dict:
    data = form.cleaned_data
    return {
        "platform": data["platform"],
        "handle": data["handle"],
        "followers": data["followers"],
        "account_id": data["account_id"],
        "is_primary": data["is_primary"],
    }


@editor_required
def research_edit(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk, write=True)
    checks = selectors.research_checklist(influencer)
    form = ResearchForm(request.POST or None, checks=checks)
    if request.method == "POST" and form.is_valid():
        services.research_update(influencer=influencer, by=request.user, answers=form.answers())
        messages.success(request, _("Research saved."))
        return redirect(influencer)
    return render(
        request, "influencers/research_form.html", {"form": form, "influencer": influencer}
    )


@editor_required
@require_POST
def influencer_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    influencer = selectors.influencer_for_user(request.user, pk, write=True)
    try:
        invitation = influencer_invite(influencer=influencer, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        expires = formats.date_format(timezone.localtime(invitation.expires_at), "j M Y, H:i")
        messages.success(
            request,
            _("Invitation on its way to %(email)s. The link works once, until %(expires)s.")
            % {"email": invitation.user.email, "expires": expires},
        )
    return redirect(influencer)
