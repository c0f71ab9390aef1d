"""Malay translation: the switch in the footer, the catalogue and its compiled form."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
MS_PO = LOCALE / "ms" / "LC_MESSAGES" / "django.po"
MS_MO = LOCALE / "ms" / "LC_MESSAGES" / "django.mo"

LOGIN_BUTTON = re.compile(r'<button type="submit" class="btn[^"]*">(.*?)</button>', re.S)
HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
PRINTF = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]")
TEMPLATE_VAR = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return any(self.msgstrs)


def parse_po(path: Path) -> list[Entry]:
    """Just enough of the PO format for these checks: flags, msgctxt, msgid, plurals."""
    entries, entry, target = [], Entry(), None

    def finish():
        nonlocal entry, target
        if entry.msgid or entry.msgstrs:
            entries.append(entry)
        entry, target = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if entry.msgid or entry.msgstrs:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if target == "msgstr":
                entry.msgstrs[-1] += value
            else:
                setattr(entry, target, getattr(entry, target) + value)
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                target = "msgstr"
                entry.msgstrs.append(value)
            else:
                target = keyword
                setattr(entry, keyword, value)
    finish()
    return entries


def placeholders(text: str) -> set[str]:
    return set(PRINTF.findall(text)) | {re.sub(r"\s", "", v) for v in TEMPLATE_VAR.findall(text)}


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return [e for e in parse_po(MS_PO) if e.msgid]


def test_login_page_speaks_malay_to_a_malay_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ms")

    html = response.content.decode()
    assert '<html lang="ms">' in html
    button = LOGIN_BUTTON.search(html).group(1).strip()
    assert button == "Log masuk"
    assert "Log in" not in button
    assert "Kata laluan" in html


def test_login_page_stays_english_by_default(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")

    assert LOGIN_BUTTON.search(response.content.decode()).group(1).strip() == "Log in"


def test_footer_offers_both_languages_with_the_current_one_selected(client, db):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ms").content.decode()

    assert f'action="{reverse("set_language")}"' in html
    assert '<option value="ms" lang="ms" selected>Bahasa Melayu</option>' in html
    assert '<option value="en" lang="en">English</option>' in html
    assert 'name="language" id="language-switch"' in html
    assert "data-autosubmit" in html


def test_influencer_switches_the_portal_to_malay(influencer_client):
    heading = HEADING.search(influencer_client.get("/portal/").content.decode()).group(1)
    assert heading == "Hello, Ina"

    response = influencer_client.post(
        reverse("set_language"), {"language": "ms", "next": "/portal/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/"

    heading = HEADING.search(influencer_client.get("/portal/").content.decode()).group(1)
    assert heading == "Hai, Ina"


def test_read_only_viewer_may_switch_language(viewer_client):
    response = viewer_client.post(reverse("set_language"), {"language": "ms", "next": "/"})

    assert response.status_code == 302
    assert "Hari saya" in viewer_client.get("/").content.decode()


def test_malay_catalogue_has_plural_header_and_every_entry_translated(entries):
    header = next(e for e in parse_po(MS_PO) if not e.msgid)
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstrs[0]
    assert "fuzzy" not in header.flags
    untranslated = [e.msgid for e in entries if not e.translated]
    assert untranslated == []


def test_no_translated_malay_entry_is_fuzzy(entries):
    assert [e.msgid for e in entries if e.translated and "fuzzy" in e.flags] == []


def test_malay_placeholders_match_the_english(entries):
    mismatched = [
        (e.msgid, msgstr)
        for e in entries
        for msgstr in e.msgstrs
        if msgstr and placeholders(msgstr) != placeholders(e.msgid_plural or e.msgid)
    ]
    assert mismatched == []


def test_compiled_catalogue_matches_the_po(entries):
    with MS_MO.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog

    stale = []
    for e in entries:
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        for index, msgstr in enumerate(e.msgstrs):
            compiled = catalog.get((key, index) if e.msgid_plural else key)
            if msgstr and compiled != msgstr:
                stale.append(e.msgid)
    assert stale == [], "run: manage.py compilemessages -l ms"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "3\xa0weeks, 2\xa0days"), ("ms", "3\xa0minggu, 2\xa0hari")],
)
def test_time_since_reads_naturally_in_both_languages(language, expected):
    now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    template = Template("{% load timespans %}{{ then|since:now }}|{{ now|until:then }}")

    with translation.override(language):
        rendered = template.render(Context({"then": now - timedelta(days=23), "now": now}))
        since, until = rendered.split("|")

    assert since == expected
    assert until == expected
