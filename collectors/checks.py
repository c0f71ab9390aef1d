"""System check: FIELD_ENCRYPTION_KEY must hold valid Fernet keys."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def encryption_key_check(app_configs, **kwargs) -> list[Error]:
    from common.crypto import _fernet

    try:
        _fernet(settings.FIELD_ENCRYPTION_KEY or "")
    except (ValueError, TypeError) as exc:
        name = type(exc).__name__
        return [
            Error(
                f"FIELD_ENCRYPTION_KEY is not a comma-separated list of Fernet keys ({name}).",
                hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
                id="collectors.E001",
            )
        ]
    return []
