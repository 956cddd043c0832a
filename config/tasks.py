from celery import shared_task

from config.health import heartbeat_record


@shared_task(name="concord.heartbeat")
def heartbeat() -> None:
    """Beat runs this every minute; the health endpoint shows when a worker last did."""
    heartbeat_record()
