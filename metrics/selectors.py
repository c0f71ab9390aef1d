from datetime import datetime

from .models import SchedulerHeartbeat
from .services import BEAT


def last_scheduler_tick() -> datetime | None:
    return SchedulerHeartbeat.objects.filter(name=BEAT).values_list("ticked_at", flat=True).first()
