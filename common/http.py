"""Reading request values that come from hidden fields or query strings."""


def int_or_zero(value: str | None) -> int:
    """A posted number, or 0 for anything that is not one (0 matches no object)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
