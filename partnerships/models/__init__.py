"""Partnership models, in modules by subject; import them from here."""

from .agreements import (
    Acceptance,
    ChangeRequest,
    CompensationLine,
    Deliverable,
    Format,
    KpiTarget,
    Partnership,
    TermsChild,
    TermsVersion,
)
from .delivery import Payment, Shipment, Submission
from .documents import TermsPdf
from .relationships import Contact, FollowUp

__all__ = [
    "Acceptance",
    "ChangeRequest",
    "CompensationLine",
    "Contact",
    "Deliverable",
    "FollowUp",
    "Format",
    "KpiTarget",
    "Partnership",
    "Payment",
    "Shipment",
    "Submission",
    "TermsChild",
    "TermsPdf",
    "TermsVersion",
]
