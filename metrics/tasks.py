from celery import shared_task

from . import retention, services
from .links import clicks


@shared_task(name="metrics.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat sends this every 30 seconds; /healthz reads its age."""
    services.heartbeat_record()


@shared_task(name="metrics.rollup_clicks", ignore_result=True, soft_time_limit=120, time_limit=180)
def rollup_clicks() -> None:
    """Beat sends this every few minutes: clicks -> daily link-click records (idempotent)."""
    clicks.clicks_rollup()


@shared_task(
    name="metrics.fold_old_hours", ignore_result=True, soft_time_limit=1800, time_limit=1900
)
def fold_old_hours() -> None:
    """Beat sends this every 6 hours: hour records past the retention become day records."""
    retention.hourly_records_fold()
