import datetime

from celery import shared_task
from django.utils import timezone

from accounts.models import User

from .digest import digest_send, due_digests


@shared_task(name="today.send_due_digests", ignore_result=True)
def send_due_digests() -> int:
    due = due_digests(timezone.now())
    for user, day in due:
        send_digest.delay(user.pk, day.isoformat())
    return len(due)


@shared_task(name="today.send_digest", ignore_result=True)
def send_digest(user_id: int, local_date: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True, digest_enabled=True).first()
    if user is None:
        return False
    return digest_send(user=user, local_date=datetime.date.fromisoformat(local_date))
