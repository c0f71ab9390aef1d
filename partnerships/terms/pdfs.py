"""A frozen terms version's PDF, rendered once and stored (`TermsPdf`).

Proposing queues `partnerships.render_terms_pdfs` (and accepting does again, for the
footer that names the acceptance), so a worker renders the PDFs while nobody waits.
Queuing is best effort: if the broker was down, the first download renders and
stores the missing one. Either way each PDF is rendered once: renders of the same
document take turns on a Postgres advisory lock and the later ones find it stored.
"""

import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from .. import selectors
from ..models import Acceptance, TermsPdf, TermsVersion
from . import document


def _language(language: str | None) -> str:
    return translation.get_supported_language_variant(
        language or translation.get_language() or settings.LANGUAGE_CODE
    )


def terms_pdf_get_or_render(*, version: TermsVersion, language: str | None = None) -> TermsPdf:
    """The stored PDF of a proposed version as a reader in `language` sees it now."""
    language = _language(language)
    accepted = Acceptance.objects.filter(version_id=version.pk).exists()
    stored = _stored(version.pk, language, accepted)
    return stored or _render_and_store(version.pk, language)


def _stored(version_id: int, language: str, accepted: bool) -> TermsPdf | None:
    return TermsPdf.objects.filter(
        version_id=version_id, language=language, accepted=accepted
    ).first()


@transaction.atomic
def _render_and_store(version_id: int, language: str) -> TermsPdf:
    version = selectors.versions_with_children(TermsVersion.objects.filter(pk=version_id)).get()
    if version.is_draft:
        raise ValueError(f"{version} is a draft: its PDF changes, so it is never stored")
    accepted = Acceptance.objects.filter(version_id=version_id).exists()
    with connection.cursor() as cursor:
        # Held until this transaction ends: a second render of the same PDF waits, then
        # finds the first one's row instead of rendering it again.
        key = f"terms-pdf:{version_id}:{language}:{accepted}"
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
    if stored := _stored(version_id, language, accepted):
        return stored
    with translation.override(language):
        pdf = document.render_terms_pdf(version)
    return TermsPdf.objects.create(
        version=version,
        language=language,
        accepted=accepted,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


def terms_pdfs_render(*, version_id: int) -> int:
    """Render whatever PDFs of this version are missing, in every language; how many
    are stored now. A draft (or a version gone) has none."""
    version = TermsVersion.objects.filter(pk=version_id).first()
    if version is None or version.is_draft:
        return 0
    for code, _name in settings.LANGUAGES:
        terms_pdf_get_or_render(version=version, language=code)
    return TermsPdf.objects.filter(version_id=version_id).count()
