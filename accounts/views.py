from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import invitations
from .forms import PreferencesForm


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link; whoever is logged in here is replaced on success."""
    invitation = invitations.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html")
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except invitations.InvitationUnusable:
            return render(request, "accounts/invitation_invalid.html")
        except ValidationError as exc:
            form.add_error("new_password2", exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your password is set."))
            # Home sends each kind of user to their own start page (influencers: /portal/).
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Your own name, time zone and daily digest (any role may change their own)."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("preferences")
    return render(request, "accounts/preferences.html", {"form": form})
