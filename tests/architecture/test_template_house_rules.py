"""House rules every template must keep."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def test_no_inline_scripts_or_styles_anywhere():
    offenders = []
    for template in TEMPLATES:
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or "<style" in text:
            offenders.append(str(template.relative_to(ROOT)))
        if re.search(r"\sstyle=\"", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_no_third_party_assets_from_a_cdn():
    for template in TEMPLATES:
        assert not re.search(r"(src|href)=\"https?://", template.read_text()), template


def test_time_spans_use_our_filters_not_djangos_separator():
    # Django joins "3 weeks, 2 days" with its own translation of ", " ("," in Malay);
    # `|since` and `|until` from `{% load timespans %}` join the same way in both languages.
    offenders = [
        str(template.relative_to(ROOT))
        for template in TEMPLATES
        if re.search(r"\|\s*(timesince|timeuntil)\b", template.read_text())
    ]
    assert offenders == []
