from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

from influencers.models import Stage, Tier, tier_for

register = template.Library()

PLATFORM_ICONS = {
    "instagram": "bi-instagram",
    "tiktok": "bi-tiktok",
    "youtube": "bi-youtube",
    "x": "bi-twitter-x",
    "facebook": "bi-facebook",
    "blog": "bi-journal-text",
    "podcast": "bi-mic",
    "newsletter": "bi-envelope-paper",
    "other": "bi-link-45deg",
}
STAGE_COLOURS = {
    Stage.PROSPECT: "secondary",
    Stage.RESEARCHED: "info",
    Stage.PITCHED: "primary",
    Stage.NEGOTIATING: "warning",
    Stage.ACTIVE: "success",
    Stage.ALUMNI: "dark",
    Stage.DECLINED: "danger",
}


@register.simple_tag
def platform_icon(platform: str) -> str:
    return format_html(
        '<i class="bi {}" aria-hidden="true"></i>', PLATFORM_ICONS.get(platform, "bi-link")
    )


@register.simple_tag
def channel_badge(channel) -> str:
    followers = f" · {intcomma(channel.followers)}" if channel.followers is not None else ""
    return format_html(
        '<a class="badge rounded-pill text-bg-light border text-decoration-none me-1 mb-1" '
        'href="{}" rel="noopener noreferrer nofollow" target="_blank" title="{}">'
        '<i class="bi {}" aria-hidden="true"></i> {}{}</a>',
        channel.profile_url,
        channel.get_platform_display(),
        PLATFORM_ICONS.get(channel.platform, "bi-link"),
        channel.display_handle,
        followers,
    )


@register.simple_tag
def tier_badge(followers) -> str:
    tier = tier_for(followers)
    if tier is None:
        return ""
    return format_html(
        '<span class="badge text-bg-light border" title="{}">{}</span>',
        Tier(tier).label,
        Tier(tier).name.lower(),
    )


@register.simple_tag
def stage_badge(stage: str) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STAGE_COLOURS.get(stage, "secondary"),
        Stage(stage).label,
    )
