"""The marketer's pages to add a published post by hand and to remove one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import submit_once
from accounts.access import editor_required
from partnerships import selectors as partnership_selectors

from . import selectors, services
from .forms import PostForm


@editor_required
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_selectors.partnership_for_user(request.user, pk, write=True)
    back = partnership.get_absolute_url()
    if (done := submit_once.replay(request, back)) is not None:
        return done
    form = PostForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submit_once.submit_once(user=request.user, token=form.submit_token) as done:
                services.post_add(
                    partnership=partnership,
                    url=data["url"],
                    channel=data["channel"],
                    published_on=data["published_on"],
                    by=request.user,
                )
                done.url = back
        except submit_once.AlreadySubmitted as used:
            return used.response(request, back)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Post added."))
            return redirect(partnership)
    return render(request, "metrics/post_form.html", {"form": form, "partnership": partnership})


@editor_required
@require_POST
def post_remove(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_user(request.user, pk)
    try:
        services.post_remove(post=post, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Post removed."))
    return redirect(post.partnership)
