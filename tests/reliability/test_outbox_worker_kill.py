"""A worker SIGKILLed in the middle of an SMTP send loses no email and doubles none."""

import uuid
import warnings

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.utils import timezone

from accounts.models import OutgoingEmail
from config.celery import app
from metrics.selectors import last_scheduler_tick

from ._outbox_support import FakeSMTPServer, Worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

STALE_SECONDS = 3


def _run_in_worker(queue: str, task: str, *args) -> None:
    # send_task always publishes (the test settings run .delay() eagerly).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        app.send_task(task, args=list(args), queue=queue)


def _worker_is_idle(queue: str) -> None:
    """The solo worker runs its queue in order: once a heartbeat queued now has run,
    everything queued before it has too."""
    before = timezone.now()
    _run_in_worker(queue, "metrics.heartbeat")
    wait_for(
        lambda: (last_scheduler_tick() or before) > before,
        timeout=60,
        message="the worker to work through its queue",
    )


def test_a_worker_killed_mid_send_still_delivers_the_email_exactly_once():
    queue = f"test-outbox-{uuid.uuid4().hex[:8]}"
    email = OutgoingEmail.objects.create(
        key=f"reliability:{queue}",
        subject="Terms accepted",
        body="O'Brien accepted version 1.",
        recipients=["owner@brand.test"],
    )
    with FakeSMTPServer(stall_first=True) as smtp:
        env = {"OUTBOX_STALE_CLAIM_SECONDS": str(STALE_SECONDS), "EMAIL_TIMEOUT": "60"}
        first = Worker(queue=queue, smtp_port=smtp.port, env=env).start()
        second = Worker(queue=queue, smtp_port=smtp.port, env=env)
        try:
            _run_in_worker(queue, "accounts.deliver_email", email.pk)
            assert smtp.stalled.wait(timeout=90), first.stop()
            first.kill()

            email.refresh_from_db()
            assert email.claimed_at is not None and email.sent_at is None
            assert smtp.count() == 0

            second.start()

            def swept_and_sent() -> bool:
                _run_in_worker(queue, "accounts.sweep_outbox")  # what beat does every minute
                return smtp.count() >= 1

            wait_for(swept_and_sent, timeout=120, message="the sweeper to resend the email")

            # A redelivered message and more sweeps change nothing.
            _run_in_worker(queue, "accounts.deliver_email", email.pk)
            _run_in_worker(queue, "accounts.sweep_outbox")
            _worker_is_idle(queue)
        finally:
            first.kill()
            log = second.stop()

        assert smtp.count() == 1, log
        assert smtp.sessions == 2
        assert b"O'Brien accepted version 1." in smtp.messages[0]
        email.refresh_from_db()
        assert email.sent_at is not None and email.failed_at is None
