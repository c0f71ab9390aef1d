"""Credentials at rest: Fernet tokens under FIELD_ENCRYPTION_KEY.

FIELD_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated. The first one
encrypts; every one decrypts (MultiFernet), so a key is rotated by putting a new key in
front, running `manage.py rotate_credentials` (re-encrypts every credential under the
first key), then dropping the old key.

A decrypted credential travels as a `Secret`: its str() and repr() are masked, so an
f-string, a log line or a traceback's locals never show it; only `reveal()` does, and
only the adapters call it, to put it in a request header or body (never in a URL).
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

MASK = "••••"


class CredentialUnreadable(Exception):
    """A stored credential no configured key can decrypt (the key was dropped too early)."""


def _keys(value: str) -> tuple[str, ...]:
    return tuple(key.strip() for key in value.split(",") if key.strip())


@lru_cache(maxsize=4)
def _fernet(value: str) -> MultiFernet:
    keys = _keys(value)
    if not keys:
        raise ValueError("FIELD_ENCRYPTION_KEY is empty")
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> "Secret":
    try:
        return Secret(fernet().decrypt(token.encode()).decode())
    except InvalidToken:
        # Never chain the original: nothing of the token belongs in a traceback.
        raise CredentialUnreadable("the stored credential cannot be decrypted") from None


def rotate(token: str) -> str:
    """The same credential encrypted under the first key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise CredentialUnreadable("the stored credential cannot be decrypted") from None


def hint_of(plain: str) -> str:
    """The last four characters, kept for the masked display (none for short secrets)."""
    return plain[-4:] if len(plain) >= 12 else ""


def masked(hint: str) -> str:
    return f"{MASK}{hint}"


class Secret:
    """A credential in memory. Masked everywhere except `reveal()`."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self):
        raise TypeError("a Secret is not pickled or sent to a queue")
