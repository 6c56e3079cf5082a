"""The question and option ids that Python code reads by name, declared in one place.

Almost everything the audit asks is used through data (conditions in the YAML). These few are
read by code: the revenue-at-risk arithmetic, the outage messages, the currency of a bare
number. Renaming one in `dialogs/audit.yaml` would not break loading, only quietly weaken the
plan, so `check` compares them with the audit at every start and in `canasta dialog check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import DialogError

if TYPE_CHECKING:  # the dialog module reads these ids too: no import cycle at run time
    from bot.dialog import Dialog


@dataclass(frozen=True)
class Expected:
    type: str
    options: frozenset[str] = frozenset()
    """Option ids the code names; the question may have more."""
    used_by: str = ""


BUSINESS_NAME = "business_name"
WEBSITE_ADDRESS = "website_address"
COUNTRY = "country"
FALLBACK_CHANNELS = "fallback_channels"
DAILY_REVENUE = "daily_revenue"
PEAK_HOURS = "peak_hours"
SALES_RECOVERED = "sales_recovered"
META_REVENUE_SHARE = "meta_revenue_share"
ORDER_CHANNELS = "order_channels"
AD_SPEND = "ad_spend"
AD_PLATFORMS = "ad_platforms"
AD_META_SHARE = "ad_meta_share"
FIRST_CONTACT = "first_contact"
WEBSITE = "website"
OUTAGE_PHONE = "outage_phone"

# Option ids the code names (kept with the question they belong to, below).
# Fallback channels a message can give as a way to reach the owner ("SMS to …")…
FALLBACK_CONTACT_OPTIONS = frozenset({"sms", "email", "telegram", "calls", "linkedin"})
# …and every fallback channel a plan names (where a post, a banner or a sign goes; YouTube is
# where listeners hear of it, not a way to reach the owner).
FALLBACK_OPTIONS = FALLBACK_CONTACT_OPTIONS | {
    "website_banner", "google_post", "shop", "youtube_podcast",
}  # fmt: skip
RECOVERED_OPTIONS = frozenset({"most", "half", "few", "none"})
META_ORDER_OPTIONS = frozenset({"dms", "whatsapp", "meta_shop"})
META_AD_OPTION = "meta"
# Platforms an outage message names, by the first-contact option that says the owner uses them.
PLATFORM_NAMES = {
    "instagram": "Instagram", "facebook": "Facebook", "whatsapp": "WhatsApp",
    "messenger": "Messenger", "tiktok": "TikTok", "youtube_podcast": "YouTube",
    "linkedin": "LinkedIn", "telegram": "Telegram", "twitter": "X",
}  # fmt: skip
SITE_OPTIONS = frozenset({"info", "contact_form", "ordering"})
NO_SITE_OPTIONS = frozenset({"none", "link_in_bio"})

DECLARED: dict[str, Expected] = {
    BUSINESS_NAME: Expected("text", used_by="plan titles and outage messages"),
    WEBSITE_ADDRESS: Expected("text", used_by="outage messages"),
    # Its options are ISO 3166 codes (or "other"): the currency of a bare number follows them.
    COUNTRY: Expected("single", used_by="the currency of a bare number"),
    FALLBACK_CHANNELS: Expected("multi", FALLBACK_OPTIONS, "outage messages"),
    DAILY_REVENUE: Expected("money", used_by="revenue at risk"),
    PEAK_HOURS: Expected("multi", used_by="revenue at risk (busiest hours)"),
    SALES_RECOVERED: Expected("single", RECOVERED_OPTIONS, "revenue at risk"),
    META_REVENUE_SHARE: Expected("number", used_by="revenue at risk"),
    ORDER_CHANNELS: Expected("multi", META_ORDER_OPTIONS, "revenue at risk (share through Meta)"),
    AD_SPEND: Expected("money", used_by="ad spend wasted in an outage"),
    AD_PLATFORMS: Expected("multi", frozenset({META_AD_OPTION}), "ad spend wasted in an outage"),
    AD_META_SHARE: Expected("number", used_by="ad spend wasted in an outage"),
    FIRST_CONTACT: Expected(
        "multi", frozenset(PLATFORM_NAMES), "the platforms the outage messages name"
    ),
    WEBSITE: Expected(
        "single", SITE_OPTIONS | NO_SITE_OPTIONS, "whether outage messages point to a site"
    ),
    OUTAGE_PHONE: Expected("text", used_by="the number in outage messages"),
}


def problems(dialog: Dialog) -> list[str]:
    """Every declared id the audit lacks or has changed, each named."""
    found = []
    for question_id, expected in DECLARED.items():
        question = dialog.question(question_id)
        if question is None:
            found.append(
                f"question {question_id!r} is missing; the code reads it for {expected.used_by}"
            )
            continue
        if question.type != expected.type:
            found.append(
                f"question {question_id!r} must be of type {expected.type!r} "
                f"(it is {question.type!r}); the code reads it for {expected.used_by}"
            )
        missing = sorted(expected.options - {option.id for option in question.options})
        if missing:
            found.append(
                f"question {question_id!r} lacks option(s) {', '.join(missing)}; "
                f"the code reads them for {expected.used_by}"
            )
    return found


def check(dialog: Dialog, source: str = "dialogs/audit.yaml") -> None:
    """Raise DialogError naming every declared id the audit does not provide."""
    found = problems(dialog)
    if found:
        raise DialogError(f"{source}:\n  " + "\n  ".join(found))
