"""The one way a service applies a set of field changes to a model instance."""

from collections.abc import Iterable

from django.db import models


def model_update(
    instance: models.Model,
    *,
    fields: dict,
    allowed: Iterable[str],
    exclude: Iterable[str] | None = None,
    save: bool = True,
) -> models.Model:
    """Reject fields the caller may not change, set the rest, `full_clean`, save.

    A field outside `allowed` is a programming error (ValueError), not a user's
    mistake; validation problems are ValidationErrors naming the field. `exclude`
    leaves fields out of `full_clean` (e.g. relations the service checked itself).
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"{type(instance).__name__}: not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=list(exclude) if exclude else None)
    if save:
        instance.save()
    return instance
