"""Turn whatever people paste (`@Name`, `instagram.com/name/`, a full URL with
tracking parameters) into one canonical handle and profile URL per platform.

Two spellings of the same channel must normalise to the same handle: that is
what the database's unique constraint on (platform, handle) relies on.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_INPUT_LENGTH = 300
MAX_POST_URL_LENGTH = 500


class Platform:
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    FACEBOOK = "facebook"
    BLOG = "blog"
    PODCAST = "podcast"
    NEWSLETTER = "newsletter"
    OTHER = "other"


@dataclass(frozen=True)
class Normalised:
    handle: str
    url: str


@dataclass(frozen=True)
class SocialRule:
    hosts: tuple[str, ...]
    pattern: re.Pattern
    url: str  # format string with {handle}
    at_in_path: bool = False  # TikTok and YouTube put "@" before the handle in URLs
    example: str = ""


SOCIAL = {
    Platform.INSTAGRAM: SocialRule(
        hosts=("instagram.com", "www.instagram.com", "m.instagram.com", "instagr.am"),
        pattern=re.compile(r"^(?!.*\.\.)(?!\.)[a-z0-9._]{1,30}(?<!\.)$"),
        url="https://www.instagram.com/{handle}/",
        example="@nurul.eats",
    ),
    Platform.TIKTOK: SocialRule(
        hosts=("tiktok.com", "www.tiktok.com", "m.tiktok.com", "vm.tiktok.com"),
        pattern=re.compile(r"^(?!.*\.$)[a-z0-9._]{2,24}$"),
        url="https://www.tiktok.com/@{handle}",
        at_in_path=True,
        example="@nurul.eats",
    ),
    Platform.YOUTUBE: SocialRule(
        hosts=("youtube.com", "www.youtube.com", "m.youtube.com"),
        pattern=re.compile(r"^[a-z0-9._-]{3,30}$"),
        url="https://www.youtube.com/@{handle}",
        at_in_path=True,
        example="@nuruleats",
    ),
    Platform.X: SocialRule(
        hosts=("x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"),
        pattern=re.compile(r"^[a-z0-9_]{1,15}$"),
        url="https://x.com/{handle}",
        example="@nurul_eats",
    ),
    Platform.FACEBOOK: SocialRule(
        hosts=("facebook.com", "www.facebook.com", "m.facebook.com", "fb.com"),
        pattern=re.compile(r"^[a-z0-9.]{5,50}$"),
        url="https://www.facebook.com/{handle}",
        example="nuruleats",
    ),
}

# Paths on a platform's host that are not profiles.
RESERVED_FIRST_SEGMENTS = {
    "p",
    "reel",
    "reels",
    "stories",
    "explore",
    "watch",
    "video",
    "shorts",
    "results",
    "hashtag",
    "search",
    "share",
    "intent",
    "home",
    "login",
}
YOUTUBE_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
FACEBOOK_NUMERIC_ID = re.compile(r"^[0-9]{5,20}$")


def _fail(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_handle")


def _check_text(raw: str, *, max_length: int = MAX_INPUT_LENGTH) -> str:
    text = (raw or "").strip()
    if not text:
        raise _fail(_("Enter a handle or a profile link."))
    if len(text) > max_length:
        raise _fail(_("That is too long for a handle or link."))
    if not text.isascii() or any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise _fail(
            _(
                "Handles and links may only use plain letters, digits and punctuation; "
                "check for look-alike characters or spaces."
            )
        )
    return text


def _looks_like_url(text: str) -> bool:
    return "://" in text or "/" in text or text.lower().startswith(("www.", "javascript:"))


def _split_url(text: str) -> tuple[str, list[str], dict]:
    if "://" not in text:
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE) and not re.match(
            r"^[^:/]+\.[a-z]{2,}(:\d+)?/", text, re.IGNORECASE
        ):
            raise _fail(_("Only http and https links are allowed."))
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise _fail(_("Only http and https links are allowed."))
    if parts.username or parts.password:
        raise _fail(_("Links with a user name or password in them are not allowed."))
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        raise _fail(_("That link has no valid web address."))
    segments = [segment for segment in parts.path.split("/") if segment]
    return host, segments, parse_qs(parts.query)


def _social(platform: str, text: str) -> Normalised:
    rule = SOCIAL[platform]
    if _looks_like_url(text):
        host, segments, query = _split_url(text)
        if host not in rule.hosts:
            raise _fail(
                _("That is not a link to this platform (expected %(host)s).")
                % {"host": rule.hosts[0]}
            )
        if platform == Platform.YOUTUBE and len(segments) >= 2 and segments[0] == "channel":
            if not YOUTUBE_CHANNEL_ID.match(segments[1]):
                raise _fail(_("That YouTube channel id does not look right."))
            channel_id = segments[1]
            return Normalised(channel_id, f"https://www.youtube.com/channel/{channel_id}")
        if platform == Platform.YOUTUBE and len(segments) >= 2 and segments[0] in ("c", "user"):
            segments = segments[1:]
        if (
            platform == Platform.FACEBOOK
            and segments[:1] == ["profile.php"]
            and FACEBOOK_NUMERIC_ID.match((query.get("id") or [""])[0])
        ):
            numeric = query["id"][0]
            return Normalised(numeric, f"https://www.facebook.com/profile.php?id={numeric}")
        if not segments or segments[0].lower() in RESERVED_FIRST_SEGMENTS:
            raise _fail(_("Paste the link to the profile, not to a single post or page."))
        candidate = segments[0]
        if rule.at_in_path and not candidate.startswith("@") and platform == Platform.TIKTOK:
            raise _fail(_("TikTok profile links look like tiktok.com/@name."))
    else:
        candidate = text
    handle = candidate.removeprefix("@").lower()
    if not rule.pattern.match(handle):
        raise _fail(
            _("“%(handle)s” is not a valid handle on this platform (for example %(example)s).")
            % {"handle": handle[:40], "example": rule.example}
        )
    return Normalised(handle, rule.url.format(handle=handle))


def _web(text: str) -> Normalised:
    host, segments, _query = _split_url(text)
    host = host.removeprefix("www.")
    path = "/".join(segments)
    handle = f"{host}/{path}" if path else host
    return Normalised(handle.lower(), f"https://{host}/{path}" if path else f"https://{host}/")


def normalise(platform: str, raw: str) -> Normalised:
    """The canonical handle and profile URL, or a ValidationError saying what is wrong."""
    text = _check_text(raw)
    if platform in SOCIAL:
        return _social(platform, text)
    return _web(text)


def platform_hosts() -> dict[str, str]:
    """Each social platform's web hosts, for the form's script that preselects the platform."""
    return {host: platform for platform, rule in SOCIAL.items() for host in rule.hosts}


def infer_platform(raw: str) -> str | None:
    """The social platform a pasted profile link points to, or None for a bare handle or
    any other site (which could be a blog, a podcast or a newsletter)."""
    text = (raw or "").strip()
    if not _looks_like_url(text):
        return None
    try:
        host, _segments, _query = _split_url(text)
    except ValidationError:
        return None
    return platform_hosts().get(host)


def _post_hosts(platform: str) -> tuple[str, ...]:
    short = ("youtu.be",) if platform == Platform.YOUTUBE else ()
    return SOCIAL[platform].hosts + short


def validate_post_url(platform: str, raw: str) -> str:
    """A link to a published post must be on the platform's own host (http/https only)."""
    text = _check_text(raw, max_length=MAX_POST_URL_LENGTH)
    if "://" not in text:
        raise _fail(_("Paste the full link, starting with https://."))
    host, segments, _query = _split_url(text)
    if platform in SOCIAL and host not in _post_hosts(platform):
        raise _fail(
            _("That link is not on %(host)s.") % {"host": SOCIAL[platform].hosts[0]},
        )
    if not segments:
        raise _fail(_("Paste the link to the post itself, not to the site."))
    return text


# Where each platform keeps a post's own id in its links.
INSTAGRAM_SHORTCODE = re.compile(r"^[A-Za-z0-9_-]{5,40}$")
TIKTOK_VIDEO_ID = re.compile(r"^[0-9]{6,25}$")
YOUTUBE_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
X_STATUS_ID = re.compile(r"^[0-9]{5,25}$")


def post_id_from_url(platform: str, url: str) -> str:
    """The platform's own id of the post a link points to, or "" when the link does not
    carry one (a blog post, a shortened TikTok link, an unknown shape). Collectors match
    posts by it: an Instagram shortcode (instagram.com/p/<code>, /reel/<code>, /tv/<code>),
    a TikTok video id (tiktok.com/@name/video/<id>), a YouTube video id (watch?v=<id>,
    youtu.be/<id>, /shorts/<id>, /live/<id>), an X status id (x.com/<name>/status/<id>)."""
    try:
        host, segments, query = _split_url((url or "").strip())
    except ValidationError:
        return ""
    if platform not in SOCIAL or host not in _post_hosts(platform):
        return ""
    candidate, pattern = "", None
    if platform == Platform.INSTAGRAM:
        # instagram.com/p/<code>/ or instagram.com/<name>/p/<code>/
        for kind in ("p", "reel", "reels", "tv"):
            if kind in segments[:-1]:
                candidate = segments[segments.index(kind) + 1]
                break
        pattern = INSTAGRAM_SHORTCODE
    elif platform == Platform.TIKTOK:
        if "video" in segments[:-1]:
            candidate = segments[segments.index("video") + 1]
        pattern = TIKTOK_VIDEO_ID
    elif platform == Platform.YOUTUBE:
        if host == "youtu.be" and segments:
            candidate = segments[0]
        elif segments[:1] == ["watch"]:
            candidate = (query.get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("shorts", "live", "embed"):
            candidate = segments[1]
        pattern = YOUTUBE_VIDEO_ID
    elif platform == Platform.X:
        if "status" in segments[:-1]:
            candidate = segments[segments.index("status") + 1]
        pattern = X_STATUS_ID
    return candidate if pattern is not None and pattern.match(candidate) else ""
