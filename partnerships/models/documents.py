"""The PDF of a proposed (frozen) terms version, rendered once and kept.

A frozen version's document only changes when it is accepted (its footer then says
by whom and when) and with the reader's language, so one PDF is stored per version,
language and acceptance state. In the database rather than on disk: one `pg_dump`
backs it up with the version whose hash it prints.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .agreements import TermsVersion


class TermsPdf(models.Model):
    version = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(_("language"), max_length=8)
    accepted = models.BooleanField(_("shows the acceptance"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    class Meta:
        verbose_name = _("terms PDF")
        verbose_name_plural = _("terms PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language", "accepted"], name="terms_pdf_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language}{', accepted' if self.accepted else ''})"
