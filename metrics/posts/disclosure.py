"""The disclosure check: does a post's caption carry what the terms in force ask for?

The terms' `disclosure_rule` is a short text such as "#ad or #iklan". Its hashtags are
the accepted markers: a caption passes when it carries any of them as a whole hashtag
(`#ad` is not satisfied by `#adventure`), wherever it stands, in any case, Unicode
normalised (NFKC, case-folded: `#Iklan`, `＃ad` full-width). A rule that mentions the
platform's label ("paid partnership" or "label") is also satisfied by the platform's
paid-partnership label where the platform reports it (`paid_label=True`; YouTube tells
the video's owner, so it is known for videos pulled through the creator's own login).
A rule that asks for the label alone is judged only where the label is known (`True` or
`False`): where the platform does not tell (`None`), nothing can be said. A rule with
neither hashtags nor the label cannot be checked by a machine: no flag. No rule: no flag.
A post with no caption captured yet is not judged.
"""

import re
import unicodedata
from dataclasses import dataclass

from partnerships.models import TermsVersion

HASHTAG = re.compile(r"[#＃]([\w]+)", re.UNICODE)
LABEL_WORDS = ("paid partnership", "paid-partnership", "label")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Rule:
    text: str
    hashtags: frozenset[str]
    label: bool

    @property
    def checkable(self) -> bool:
        return bool(self.hashtags or self.label)


def parse(rule: str) -> Rule:
    folded = _fold(rule or "")
    return Rule(
        text=(rule or "").strip(),
        hashtags=frozenset(HASHTAG.findall(folded)),
        label=any(word in folded for word in LABEL_WORDS),
    )


def missed(caption: str, rule: str, *, paid_label: bool | None = None) -> str:
    """The rule the caption misses ("" when it is met, or when there is nothing to check)."""
    parsed = parse(rule)
    if not parsed.checkable or not (caption or "").strip():
        return ""
    if parsed.label and paid_label:
        return ""
    if parsed.label and not parsed.hashtags and paid_label is None:
        return ""  # only the label would do, and the platform does not say
    tags = set(HASHTAG.findall(_fold(caption)))
    if parsed.hashtags & tags:
        return ""
    return parsed.text


def rule_in_force(partnership_id: int) -> str:
    """The disclosure rule of the latest accepted version ("" when none is accepted)."""
    return (
        TermsVersion.objects.filter(partnership_id=partnership_id, acceptance__isnull=False)
        .order_by("-number")
        .values_list("disclosure_rule", flat=True)
        .first()
        or ""
    )


@dataclass(frozen=True)
class Flag:
    post: object
    rule: str


def posts_missing_disclosure(partnerships) -> list[Flag]:
    """The posts of these partnerships whose caption misses the disclosure rule of
    their terms in force (one query; posts without a caption or a rule are skipped)."""
    from django.db.models import OuterRef, Subquery

    from ..models import Post

    rule = (
        TermsVersion.objects.filter(partnership=OuterRef("partnership"), acceptance__isnull=False)
        .order_by("-number")
        .values("disclosure_rule")[:1]
    )
    posts = (
        Post.objects.filter(partnership__in=partnerships)
        .exclude(caption="")
        .annotate(rule=Subquery(rule))
        .exclude(rule="")
        .exclude(rule=None)
        .select_related("partnership__influencer", "partnership__campaign")
        .order_by("-published_at", "-pk")
    )
    return [
        Flag(post, post.rule)
        for post in posts
        if missed(post.caption, post.rule, paid_label=post.paid_label)
    ]
