"""What can go wrong with a provider, as types the pull knows how to handle.

The messages are plain words for the Data sources page. They are built by the adapters
from the provider's answer without the request, so no credential can be in them; and no
exception here chains the HTTP error it came from (`raise ... from None`), so a
traceback does not carry a request (and its headers) along.
"""

import datetime


class ProviderError(Exception):
    """Base class. `str()` is the plain-words message."""


class RateLimited(ProviderError):
    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unauthorized(ProviderError):
    """The credential is expired, revoked or lacks access: retrying will not help."""


class QuotaExceeded(ProviderError):
    def __init__(self, message: str, *, until: datetime.datetime) -> None:
        super().__init__(message)
        self.until = until


class Malformed(ProviderError):
    """The answer is not what the provider documents: nothing from it is written."""


class Transient(ProviderError):
    """A 5xx, a timeout, a dropped connection: worth trying again later."""


class NotFound(ProviderError):
    """The channel, site or property the connection covers does not exist (for the key)."""
