from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import editor_required

from . import selectors
from .invite import influencer_invite


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
