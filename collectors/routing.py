"""Celery router (CELERY_TASK_ROUTES): each provider's pulls go to its own queue."""

from django.conf import settings

PULL_TASK = "collectors.pull"


def queue_for(provider: str) -> str:
    return f"{settings.COLLECTORS_QUEUE_PREFIX}.{provider}"


def route_pull(name, args, kwargs, options, task=None, **kw):
    if name != PULL_TASK:
        return None
    provider = (kwargs or {}).get("provider") or (args[1] if len(args or ()) > 1 else "")
    if provider not in settings.COLLECTORS_PROVIDERS:
        return None
    return {"queue": queue_for(provider)}
