"""Every page a marketer, a viewer, an influencer (or a visitor) can open reads in Malay.

The project's URL patterns are walked with Django's resolver; each route's arguments come
from the seeded demo (one object per status or stage, so a page is seen in its different
states), and every GET answered with an HTML 200 is read with the Malay language active.
The visible text (no script, style or template contents; plus title, placeholder,
aria-label and alt) is split into text nodes; a node that is user-entered data (any text
value stored in the database, whole or truncated) is skipped. A node left over fails the
test when it is an English msgid of the catalogue whose Malay differs, or holds a word
from an English stop-list. A route with arguments this module cannot fill fails too, so
a new page cannot slip past.
"""

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from campaigns.models import Campaign
from collectors.models import Connection
from influencers.models import Channel, Influencer, Stage
from metrics.models import TrackedLink
from partnerships.models import (
    Deliverable,
    FollowUp,
    Partnership,
    Shipment,
    Submission,
    TermsVersion,
)
from shop.models import ShopConnection

from .test_language import MS_PO, parse_po

pytestmark = pytest.mark.usefixtures("demo")

ROLES = {
    "visitor": None,
    "marketer": "marketer@example.com",
    "viewer": "viewer@example.com",
    "influencer": "influencer@example.com",
}
PROJECT_APPS = {"accounts", "influencers", "campaigns", "partnerships", "metrics"}
SKIPPED_NAMESPACES = {"admin"}  # Django's admin, translated by Django itself

# Kept in English on purpose: platform and format names (see partnerships.models.Format).
ALLOWED = {"Reel", "Story", "Short", "Instagram", "TikTok", "YouTube", "Facebook", "English"}
# English words the Malay interface never uses (Malay shares "status", "video", "bonus"…).
STOP_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
        the and or of to in on at for with from by your you our we is are was be been has have
        not yet this that these those it its will can may must what when who how here there
        no none never all any each every more than ago due overdue new edit add save delete
        cancel back next previous close search filter name email notes version draft proposed
        accepted completed cancelled declined paid committed outstanding spent budget cost
        total shipping shipment shipments payment payments partnership partnerships campaign
        campaigns influencer influencers terms deliverable deliverables follow-up follow-ups
        contact contacts stage pipeline research submit approve approved password account home
        my today hello welcome week weeks day days month months year years hour hours minute
        minutes sent delivered handed change changes remove review target
        """,
    )
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript"}
# Literals the user types as they are (CSV column names, codes) are not prose.
LITERAL_ELEMENTS = {"code", "kbd", "samp"}
LITERALS = re.compile(
    r"“[^”]*”"  # a quoted value, e.g. the “name” column
    r"|\b\w*_\w*\b"  # an identifier: owner_email, utm_campaign, raya_2026
    r"|\b[A-Z][A-Za-z_]+/[A-Za-z_/+-]+\b"  # a time zone: America/New_York
)


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS | LITERAL_ELEMENTS:
            self._hidden += 1
        self.nodes += [value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS | LITERAL_ELEMENTS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.nodes.append(data)


def text_nodes(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [text for node in parser.nodes if (text := " ".join(node.split()))]


# --- What counts as English -------------------------------------------------------------


def english_msgids() -> set[str]:
    """Catalogue msgids shown as they are in English but translated differently in Malay."""
    found = set()
    for entry in parse_po(MS_PO):
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            plain = not re.search(r"%\(|\{|<", english)
            if plain and len(english) > 2 and entry.translated and english not in entry.msgstrs:
                found.add(english)
    return found


def stored_text() -> set[str]:
    """Every text value in the project's tables: names, emails, notes, briefs, handles…"""
    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if (isinstance(f, models.CharField | models.TextField) and not f.choices)
            or isinstance(f, ArrayField)
        ]
        for row in model._default_manager.values_list(*fields) if fields else ():
            for value in row:
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and (text := " ".join(item.split())):
                        values.add(text)
                        values.update(line.strip() for line in item.splitlines() if line.strip())
    return values


class UserData:
    """Recognises user-entered text in a node: whole, truncated (…), or inside a sentence."""

    def __init__(self, values: set[str]) -> None:
        self.values = values
        self.prefixes = sorted(values)
        longest_first = sorted((v for v in values if len(v) > 2), key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, longest_first)))

    def is_whole(self, node: str) -> bool:
        if node in self.values:
            return True
        if node.endswith("…"):
            return any(v.startswith(node[:-1].rstrip()) for v in self.values)
        return False

    def strip(self, node: str) -> str:
        return self.pattern.sub(" ", node)


def english_in(node: str, msgids: set[str], data: UserData) -> str | None:
    if data.is_whole(node):
        return None
    bare = node.strip(" :·,.()–—-|")
    if bare in msgids:
        return bare
    if not any(w.lower() in STOP_WORDS for w in WORD.findall(node)):
        return None
    rest = LITERALS.sub(" ", data.strip(node))  # a name or note inside a sentence, a literal
    for allowed in ALLOWED:
        rest = re.sub(rf"\b{re.escape(allowed)}\b", " ", rest)
    if any(w.lower() in STOP_WORDS for w in WORD.findall(rest)):
        return " ".join(node.split())
    return None


# --- Which pages ------------------------------------------------------------------------


def routes(patterns=None, prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    """(url name, argument names) for every named project route, via the resolver."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", list(entry.pattern.converters)


def first_per(queryset, field: str) -> list:
    seen, picked = set(), []
    for obj in queryset.order_by("pk"):
        key = getattr(obj, field)
        if key not in seen:
            seen.add(key)
            picked.append(obj)
    return picked


def partnerships() -> list[Partnership]:
    mine = Partnership.objects.filter(influencer__user__email=ROLES["influencer"])
    return first_per(Partnership.objects.all(), "status") + list(mine)


def versions() -> list[TermsVersion]:
    chosen = []
    for partnership in partnerships():
        numbers = list(partnership.versions.order_by("number"))
        chosen += numbers[:1] + numbers[1:][-1:]
    return chosen


def password_reset_link() -> dict:
    user = User.objects.get(email=ROLES["marketer"])
    token = default_token_generator.make_token(user)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}


def influencer_pks() -> list[dict]:
    chosen = first_per(Influencer.objects.all(), "stage")
    chosen += list(Influencer.objects.filter(user__email=ROLES["influencer"]))
    assert {i.stage for i in chosen} >= {Stage.PROSPECT, Stage.ACTIVE}
    return [{"pk": i.pk} for i in chosen]


# Arguments for each kind of route: by url name first, then by (namespace, arguments).
BY_NAME: dict[str, Callable[[], list[dict]]] = {
    "partnerships:contact_create": influencer_pks,
    "partnerships:follow_up_create": influencer_pks,
    "partnerships:timeline": influencer_pks,
    "results:campaign": lambda: [{"pk": c.pk} for c in first_per(Campaign.objects.all(), "status")],
    "results:campaign_csv": lambda: [{"pk": Campaign.objects.order_by("pk").first().pk}],
    "results:track_record_csv": influencer_pks,
    "accounts:invitation_accept": lambda: [{"token": "no-longer-valid"}],
    # My accounts: the demo influencer's Instagram channel; the callback without a
    # state (a redirect with a message); revoking is POST only.
    "portal:account_connect": lambda: [
        {"channel_pk": c.pk}
        for c in Channel.objects.filter(
            influencer__user__email=ROLES["influencer"], platform="instagram"
        )[:1]
    ],
    "portal:account_callback": lambda: [{"slug": "instagram"}],
    "portal:account_revoke": lambda: [],
    "invitation_accept": lambda: [{"token": "no-longer-valid"}],
    "password_reset_confirm": lambda: [password_reset_link(), {"uidb64": "MQ", "token": "x-y"}],
    # A 302 (or a 404 page for an unknown code): read like any other answer.
    "tracked_link_redirect": lambda: (
        [{"code": link.code} for link in TrackedLink.objects.order_by("pk")[:1]]
        + [{"code": "unknown-code-0000"}]
    ),
}
BY_ARGUMENTS: dict[tuple[str, tuple[str, ...]], Callable[[], list[dict]]] = {
    ("influencers", ("pk",)): influencer_pks,
    ("influencers", ("channel_pk", "pk")): lambda: [
        {"pk": c.influencer_id, "channel_pk": c.pk} for c in first_per(Channel.objects, "platform")
    ],
    ("campaigns", ("pk",)): lambda: [
        {"pk": c.pk} for c in first_per(Campaign.objects.all(), "status")
    ],
    ("partnerships", ("pk",)): lambda: [{"pk": p.pk} for p in partnerships()],
    ("portal", ("pk",)): lambda: [{"pk": p.pk} for p in partnerships()],
    # metrics:link_add takes a partnership; metrics:link_disable (POST only) a link.
    ("metrics", ("pk",)): lambda: [{"pk": p.pk} for p in partnerships()[:2]],
    ("partnerships", ("number", "pk")): lambda: [
        {"pk": v.partnership_id, "number": v.number} for v in versions()
    ],
    ("portal", ("number", "pk")): lambda: [
        {"pk": v.partnership_id, "number": v.number} for v in versions()
    ],
    ("partnerships", ("pk", "shipment_pk")): lambda: [
        {"pk": s.partnership_id, "shipment_pk": s.pk}
        for s in first_per(Shipment.objects.all(), "status")
    ],
    ("partnerships", ("pk", "submission_pk")): lambda: [
        {"pk": s.deliverable.version.partnership_id, "submission_pk": s.pk}
        for s in first_per(Submission.objects.select_related("deliverable__version"), "status")
    ],
    ("portal", ("deliverable_pk", "pk")): lambda: [
        {"pk": d.version.partnership_id, "deliverable_pk": d.pk}
        for d in Deliverable.objects.filter(
            version__partnership__influencer__user__email=ROLES["influencer"]
        ).select_related("version")
    ],
    ("collectors", ("pk",)): lambda: [
        {"pk": c.pk} for c in first_per(Connection.objects.all(), "provider")
    ],
    ("partnerships", ("follow_up_pk",)): lambda: [
        {"follow_up_pk": f.pk} for f in FollowUp.objects.order_by("pk")[:2]
    ],
    ("shop", ("pk",)): lambda: [{"pk": c.pk} for c in ShopConnection.objects.order_by("pk")[:1]],
    # The webhook answers GET with 405: read like any other answer.
    ("shop", ("provider", "token")): lambda: [
        {"provider": c.provider, "token": c.token}
        for c in ShopConnection.objects.order_by("pk")[:1]
    ],
}


def urls() -> tuple[list[str], list[str]]:
    found, unfilled = [], []
    for name, arguments in routes():
        if not arguments:
            found.append(reverse(name))
            continue
        namespace = name.split(":")[0] if ":" in name else ""
        provider = BY_NAME.get(name) or BY_ARGUMENTS.get((namespace, tuple(sorted(arguments))))
        if provider is None:
            unfilled.append(f"{name} {arguments}")
            continue
        found += [reverse(name, kwargs=kwargs) for kwargs in provider()]
    return list(dict.fromkeys(found)), unfilled


# --- The test ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue_english() -> set[str]:
    return english_msgids()


def test_every_route_with_arguments_has_demo_data_to_fill_them():
    assert urls()[1] == [], "add these routes to BY_NAME or BY_ARGUMENTS"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_malay(role, catalogue_english):
    client = Client(HTTP_ACCEPT_LANGUAGE="ms")
    client.cookies["django_language"] = "ms"
    if ROLES[role]:
        client.force_login(User.objects.get(email=ROLES[role]))
    data = UserData(stored_text())

    read, english = [], {}
    for url in urls()[0]:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        # A whole page declares its language; an HTMX fragment (the influencer picker's
        # results) has no <html> of its own but is read all the same.
        assert '<html lang="ms">' in html or "<html" not in html, url
        read.append(url)
        found = [
            hit for node in text_nodes(html) if (hit := english_in(node, catalogue_english, data))
        ]
        if found:
            english[url] = list(dict.fromkeys(found))

    assert len(read) >= {"visitor": 3, "marketer": 30, "viewer": 20, "influencer": 4}[role], read
    report = "\n".join(f"{url}\n    " + "\n    ".join(hits) for url, hits in english.items())
    assert not english, f"English left on {len(english)} of {len(read)} pages as {role}:\n{report}"
