from datetime import datetime

from django.utils import timezone

from .models import SchedulerHeartbeat

BEAT = "beat"


def heartbeat_record(*, name: str = BEAT, at: datetime | None = None) -> SchedulerHeartbeat:
    heartbeat, _ = SchedulerHeartbeat.objects.update_or_create(
        name=name, defaults={"ticked_at": at or timezone.now()}
    )
    return heartbeat
