"""The terms document: what it says (shared by the web page, the PDF and the portal)
and its PDF rendering.

The web page, the PDF and the influencer's portal all include
`partnerships/_terms_body.html` with the context from `terms_document_context`, so
every reader sees the same words. Pass a version loaded through
`selectors.versions_with_children`, so the document costs no query per row.
"""

import base64
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from ..models import Acceptance, CompensationLine, Deliverable, KpiTarget, TermsVersion
from . import content as terms

STYLESHEET = "css/document.css"


@dataclass
class TermsDocument:
    version: TermsVersion
    deliverables_by_channel: list[tuple[object, list[Deliverable]]]
    pay: list[str]
    perks: list[str]
    kpis: list[KpiTarget]
    currency: str
    digest: str
    acceptance: Acceptance | None
    # brand, campaign and influencer as named when proposed (renames later don't apply)
    parties: dict

    @property
    def is_draft(self) -> bool:
        return self.version.is_draft


def terms_document(version: TermsVersion) -> TermsDocument:
    by_channel: dict[int, tuple[object, list[Deliverable]]] = {}
    for deliverable in version.deliverables.all():
        by_channel.setdefault(deliverable.channel_id, (deliverable.channel, []))[1].append(
            deliverable
        )
    compensation = list(version.compensation.all())
    perk = CompensationLine.Kind.PERK
    return TermsDocument(
        version=version,
        deliverables_by_channel=list(by_channel.values()),
        pay=[terms.compensation_line(c) for c in compensation if c.kind != perk],
        perks=[c.description for c in compensation if c.kind == perk],
        kpis=list(version.kpis.all()),
        currency=version.partnership.campaign.currency,
        # A proposed version shows the hash it was frozen with; a draft's is computed live.
        digest=version.sha256 or terms.version_digest(version),
        acceptance=_acceptance(version),
        parties=terms.canonical(version)["parties"],
    )


def terms_document_context(version: TermsVersion) -> dict:
    """Everything `_terms_body.html` needs."""
    return {"version": version, "doc": terms_document(version)}


def _acceptance(version: TermsVersion) -> Acceptance | None:
    try:
        return version.acceptance
    except ObjectDoesNotExist:
        return None


def pdf_filename(version: TermsVersion) -> str:
    partnership = version.partnership
    campaign = slugify(partnership.campaign.name) or "campaign"
    influencer = slugify(partnership.influencer.name) or "influencer"
    return f"terms-{campaign}-{influencer}-v{version.number}.pdf"


def static_files_only(roots: list[Path]):
    """A WeasyPrint URL fetcher that reads our own static files and nothing else: no
    network, and no file outside the static folders, whatever a document references."""
    from weasyprint import URLFetcher

    allowed = [root.resolve() for root in roots]

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve()
            if parts.scheme != "file" or not any(path.is_relative_to(root) for root in allowed):
                raise ValueError(f"not fetching {url}: only local static files may be used")
            return super().fetch(url, headers)

    return StaticFilesOnly(allowed_protocols={"file"}, allow_redirects=False)


def _static_roots() -> list[Path]:
    roots = [Path(folder) for folder in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return roots


_fonts = None
_fonts_lock = threading.Lock()


def font_configuration():
    """One WeasyPrint FontConfiguration per process. A fresh one per PDF leaked about
    0.3 MB of fontconfig state each time (web workers grew from 70 to 290 MB)."""
    global _fonts
    if _fonts is None:
        with _fonts_lock:
            if _fonts is None:
                from weasyprint.text.fonts import FontConfiguration

                _fonts = FontConfiguration()
    return _fonts


def render_terms_layout(version: TermsVersion):
    """The laid-out pages (a weasyprint.Document) of the PDF, before writing it."""
    # WeasyPrint takes about a second to import: load it when a PDF is made, not at startup.
    import weasyprint

    html = render_to_string("partnerships/terms_pdf.html", terms_document_context(version))
    fetcher = static_files_only(_static_roots())
    fonts = font_configuration()
    stylesheet = weasyprint.CSS(
        filename=finders.find(STYLESHEET), url_fetcher=fetcher, font_config=fonts
    )
    return weasyprint.HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=fonts
    )


def render_terms_pdf(version: TermsVersion) -> bytes:
    return render_terms_layout(version).write_pdf()


def pdf_response(request: HttpRequest, version: TermsVersion) -> HttpResponse:
    """The PDF as a private, uncached download (marketer page and portal alike).

    A proposed version's PDF is the stored one (rendered once, see `pdfs`), sent with
    its SHA-256 as the ETag; a draft changes, so its PDF is made on each request."""
    from . import pdfs  # pdfs imports this module

    if version.is_draft:
        body, digest = render_terms_pdf(version), None
    else:
        stored = pdfs.terms_pdf_get_or_render(version=version)
        body, digest = bytes(stored.pdf), stored.sha256
    etag = f'"{digest}"' if digest else None
    if etag and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=pdf_filename(version)
        )
    if digest:
        response["ETag"] = etag
        response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(digest)).decode()}:"
    patch_cache_control(response, private=True, no_store=True)
    return response
