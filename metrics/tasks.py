from celery import shared_task

from . import services


@shared_task(name="metrics.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat sends this every 30 seconds; /healthz reads its age."""
    services.heartbeat_record()
