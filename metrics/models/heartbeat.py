from django.db import models
from django.utils.translation import gettext_lazy as _


class SchedulerHeartbeat(models.Model):
    """One row per named heartbeat, touched by a periodic task.

    /healthz reads the age of the "beat" row to tell whether Celery beat and a
    worker are both alive: the tick only moves when beat sends the task and a
    worker runs it.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    ticked_at = models.DateTimeField(_("last tick"))

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.ticked_at:%Y-%m-%d %H:%M:%S}"
