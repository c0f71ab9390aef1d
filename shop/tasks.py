from celery import shared_task

from . import services


@shared_task(
    name="shop.process_deliveries", ignore_result=True, soft_time_limit=240, time_limit=300
)
def process_deliveries() -> None:
    """Nudged after each stored webhook or import, and run by beat every minute as the
    sweeper: reads whatever deliveries are waiting (safe to run twice, or in parallel)."""
    services.deliveries_process_all()
