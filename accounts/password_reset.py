"""Password reset emails: through the outbox, and throttled in Postgres.

The throttle counts the resets granted in the last hour per address and per client
address (`PasswordResetRequest` rows), not in the cache, so it holds while Redis is
down. A refused request answers exactly like a granted one: the page never tells
whether an address exists or was throttled.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import connection, transaction
from django.template import loader
from django.utils import timezone

from . import outbox
from .client import client_ip
from .models import PasswordResetRequest

log = logging.getLogger(__name__)
WINDOW = datetime.timedelta(hours=1)


@transaction.atomic
def password_reset_allow(*, email: str, client: str | None) -> bool:
    """Record a reset for `email` from `client` if both are under their hourly limit."""
    email = email.strip().lower()
    with connection.cursor() as cursor:
        # Serialise resets of one address so two at once cannot both pass the count.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"reset:{email}"])
    recent = PasswordResetRequest.objects.filter(requested_at__gte=timezone.now() - WINDOW)
    if recent.filter(email__iexact=email).count() >= settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR:
        log.warning("password reset throttled for an address")
        return False
    per_client = settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR
    if client and recent.filter(client_ip=client).count() >= per_client:
        log.warning("password reset throttled for client %s", client)
        return False
    PasswordResetRequest.objects.create(email=email, client_ip=client)
    return True


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, throttled, with its email written to the outbox instead of
    sent inside the request (no SMTP round trip to time, no lost mail)."""

    def save(self, *, request=None, **kwargs) -> None:
        with transaction.atomic():
            client = client_ip(request) if request is not None else None
            if password_reset_allow(email=self.cleaned_data["email"], client=client):
                super().save(request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        key = f"password-reset:{context['user'].pk}:{uuid.uuid4().hex}"
        outbox.enqueue(key, subject, body, [to_email])
