"""Four owners from the seed articles, as audit answers typed the way each would type them."""

from __future__ import annotations

from typing import Any, NamedTuple

from tests.answering import JEWELLER


class Persona(NamedTuple):
    respondent: str
    locale: str
    answers: dict[str, Any]


# Daisey Miller: wellness and beauty, 95 % of first contacts on Instagram, euros.
COACH = {
    "business_name": "Daisey Wellness",
    "country": "fr",
    "first_contact": ["instagram", "whatsapp", "email"],
    "top_channel_share": "95",
    "account_security": ["two_factor"],
    "account_trouble": False,
    "order_channels": ["dms", "whatsapp", "phone"],
    "meta_revenue_share": "95 %",
    "payments": ["card_terminal", "bank_transfer"],
    "contact_list": ["newsletter_tool"],
    "list_coverage": "few",
    "consent": "customers",
    "newsletter_frequency": "sporadic",
    "website": "link_in_bio",
    "ad_spend": "200 €",
    "ad_platforms": ["meta"],
    "backup_places": ["cloud"],
    "backup_frequency": "ad_hoc",
    "exports_done": ["none"],
    "platform_only_content": ["lives", "canva"],
    "restore_tested": False,
    "contingency_plan": False,
    "fallback_channels": ["email"],
    "daily_revenue": "400 €",
    "peak_hours": ["afternoon"],
    "sales_recovered": "half",
}

# Papa Mamadou Diouf: an online shop in Dakar living on sponsored posts, F CFA.
DAKAR_SHOP = {
    "business_name": "Boutique Diouf",
    "country": "sn",
    "first_contact": ["facebook", "whatsapp", "instagram"],
    "top_channel_share": "70",
    "account_security": ["none"],
    "account_trouble": True,
    "account_trouble_details": "Page bloquée deux semaines en 2022",
    "order_channels": ["dms", "whatsapp"],
    "meta_revenue_share": "100",
    "payments": ["cash", "mobile_money"],
    "contact_list": ["phone_book"],
    "list_coverage": "some",
    "consent": "verbal",
    "website": "none",
    "ad_spend": "300 000 FCFA",
    "ad_platforms": ["meta"],
    "backup_places": ["phone_only"],
    "backup_frequency": "ad_hoc",
    "exports_done": ["none"],
    "platform_only_content": ["photos_posts"],
    "contingency_plan": False,
    "fallback_channels": ["sms", "calls"],
    "daily_revenue": "2 000 000 FCFA",
    "peak_hours": ["afternoon", "evening"],
    "sales_recovered": "few",
}

# Escola: a Polish podcast studio already on five channels, złoty.
PODCAST_STUDIO = {
    "business_name": "Escola Podcast",
    "country": "pl",
    "first_contact": ["linkedin", "youtube_podcast", "email", "instagram", "facebook"],
    "top_channel_share": "30",
    "account_security": ["two_factor", "two_admins", "recovery_codes"],
    "account_trouble": False,
    "order_channels": ["own_site", "email", "phone"],
    "meta_revenue_share": "10",
    "payments": ["bank_transfer", "card_own_site"],
    "contact_list": ["newsletter_tool", "spreadsheet"],
    "list_coverage": "almost_all",
    "consent": "double_opt_in",
    "newsletter_frequency": "monthly",
    "website": "ordering",
    "website_address": "escola.example.pl",
    "domain_owner": True,
    "site_in_bios": True,
    "ad_spend": "2 000 zł",
    "ad_platforms": ["linkedin", "google_ads", "meta"],
    "ad_meta_share": "30",
    "backup_places": ["computer", "external_disk", "cloud"],
    "backup_frequency": "automatic",
    "exports_done": ["meta_dyi", "google_takeout", "email_csv"],
    "platform_only_content": ["none"],
    "restore_tested": True,
    "contingency_plan": True,
    "fallback_channels": ["email", "linkedin", "youtube_podcast", "website_banner"],
    "daily_revenue": "5 000 zł",
    "peak_hours": ["morning", "afternoon"],
    "sales_recovered": "most",
}

PERSONAS = {
    "jeweller": Persona("console:rankin", "en", JEWELLER),
    "coach": Persona("console:miller", "en", COACH),
    "dakar_shop": Persona("console:diouf", "fr", DAKAR_SHOP),
    "podcast_studio": Persona("console:escola", "pl", PODCAST_STUDIO),
}
