"""The casebook: owners a competent adviser has met, and what that adviser would tell them.

Each case is an owner's situation in a paragraph, the answers they would give today's audit
(typed the way they would type them, as in tests/personas.py; a missing answer is "don't know"),
and the adviser's expectations of the plan:

- `top_three`: the decisive moves, which must be among the plan's first three actions;
- `never`: actions that must not appear at all (advice for a tool the owner does not use,
  something they already have, or advice that contradicts their situation);
- `gaps`: what today's audit cannot tell about this owner. They document missing questions and
  are not asserted; where the audit cannot express a situation, the answers are the closest ones.

Expectations follow from the owner's situation, not from the plan's rules: what removes the most
revenue at risk, or restores reach soonest, for the least effort, with what the owner already has.
tests/test_casebook.py runs every case through the real interview and plan; tests/CASEBOOK.md
explains each expectation; `python -m tests.casebook_report` prints today's plans next to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    name: str
    owner: str
    locale: str
    situation: str
    answers: dict[str, Any]
    top_three: tuple[str, ...]
    never: tuple[str, ...] = ()
    gaps: tuple[str, ...] = field(default=())

    @property
    def respondent(self) -> str:
        return f"casebook:{self.name}"


# ── The seed articles' owners ──────────────────────────────────────────────────────────────

RANKIN = Case(
    name="rankin_jeweller",
    owner="Alex Rankin, handmade rings",
    locale="en",
    situation=(
        "Alex makes rings by hand in the United States and sells them only through Instagram: "
        "she advertises in posts, takes orders in DMs and through her Instagram shop, and is paid "
        "by PayPal or Venmo. A good day is 25 rings, about USD 150; during the October 2021 "
        "outage she sold none ('without social media I would not have a business'). She has no "
        "list of customers outside Instagram, a Linktree in her bio, no ads, photos only on her "
        "phone, and no account protection. She already plans her own ordering website."
    ),
    answers={
        "business_name": "Rings by Alex",
        "country": "us",
        "first_contact": ["instagram"],
        "google_listing": "online_only",
        "account_security": ["none"],
        "account_trouble": False,
        "order_channels": ["dms", "meta_shop"],
        "meta_revenue_share": "100",
        "payments": ["mobile_money"],
        "contact_list": ["none"],
        "website": "link_in_bio",
        "ad_spend": "0",
        "backup_places": ["phone_only"],
        "backup_frequency": "ad_hoc",
        "exports_done": ["none"],
        "platform_only_content": ["photos_posts"],
        "contingency_plan": False,
        "fallback_channels": ["none"],
        "daily_revenue": "$150",
        "peak_hours": ["evening"],
        "sales_recovered": "none",
    },
    top_three=("secure_accounts", "own_order_form", "start_list"),
    never=(
        "security_gaps",
        "restriction_log",
        "payments_off_meta",
        "diversify_ads",
        "export_list",
        "reconsent",
        "download_lives",
    ),
    gaps=(
        "The audit does not ask whether 'daily revenue' is turnover or profit: the seed's "
        "'ganancias' of USD 150 could be either.",
        "The audit does not ask whether the Instagram shop still checks out on Instagram; Meta "
        "moved Shops checkout to merchants' websites in 2025, so her shop needs a site anyway.",
        "PayPal and Venmo are not payment options; 'mobile payment' is the closest.",
        "The audit does not ask whether past buyers can be reached at all (addresses and emails "
        "from PayPal receipts are a list she already holds without knowing it).",
    ),
)

MILLER = Case(
    name="miller_wellness",
    owner="Daisey Miller, wellness and beauty",
    locale="en",
    situation=(
        "Daisey runs a wellness and beauty practice by appointment. 95–99 % of her clients first "
        "contact her on Instagram; the rest write an email or call. Bookings are made in DMs or by "
        "phone, and clients pay by card in the studio. During the outage she lost 'hundreds of "
        "dollars' of clients she could not answer and appointments that were never booked. She has "
        "two-step login on Instagram, a Linktree, photos synced to iCloud, and no list yet: she "
        "wants a website and a newsletter that collects emails, from prospects as well as clients."
    ),
    answers={
        "business_name": "Daisey Miller Wellness",
        "country": "us",
        "first_contact": ["instagram", "email", "phone_sms"],
        "top_channel_share": "97",
        "account_security": ["two_factor"],
        "account_trouble": False,
        "order_channels": ["dms", "phone"],
        "meta_revenue_share": "95",
        "payments": ["card_terminal"],
        "contact_list": ["none"],
        "website": "link_in_bio",
        "ad_spend": "0",
        "backup_places": ["cloud"],
        "backup_frequency": "automatic",
        "exports_done": ["none"],
        "platform_only_content": ["none"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["calls"],
        "outage_phone": "+1 503 555 0142",
        "daily_revenue": "$300",
        "peak_hours": ["afternoon"],
        "sales_recovered": "few",
    },
    top_three=("second_contact", "own_order_form", "start_list"),
    never=(
        "secure_accounts",
        "restriction_log",
        "reconsent",
        "export_list",
        "list_in_tool",
        "payments_off_meta",
        "diversify_ads",
    ),
    gaps=(
        "The audit does not separate prospects (first contacts) from booked clients: her loss is "
        "enquiries never answered, which the daily-revenue figure does not show.",
        "The audit does not ask about a booking tool (Calendly, Fresha…), which may already be a "
        "booking page she owns or a second dependency.",
        "The audit does not ask whether she wants to collect emails from non-clients (a lead "
        "magnet), which is the heart of her own plan.",
    ),
)

DIOUF = Case(
    name="diouf_dakar_shop",
    owner="Papa Mamadou Diouf, online shop in Dakar",
    locale="fr",
    situation=(
        "Papa Mamadou runs an online shop in Dakar that lives on sponsored posts: each employee "
        "runs one of the shop's Facebook and Instagram pages, and each page spends more than "
        "300 000 FCFA a month on sponsoring (a USD 100 post brings 20 to 30 clients in under seven "
        "hours). Orders arrive in Messenger and WhatsApp and are paid cash on delivery or by Wave. "
        "The outage cost him over 600 000 FCFA of turnover in a few hours; profit is 3–4 million "
        "FCFA a month. A page was blocked for two weeks in 2022. Nobody has two-step login; the "
        "delivery drivers keep the customers' numbers in their phones; there is no website."
    ),
    answers={
        "business_name": "Boutique Diouf",
        "country": "sn",
        "first_contact": ["facebook", "whatsapp", "instagram", "messenger"],
        "google_listing": "not_listed",
        "top_channel_share": "60",
        "account_security": ["none"],
        "account_trouble": True,
        "account_trouble_details": "Une page bloquée deux semaines en 2022, pub arrêtée",
        "order_channels": ["dms", "whatsapp"],
        "meta_revenue_share": "100",
        "payments": ["cash", "mobile_money"],
        "contact_list": ["phone_book"],
        "customer_type": "consumers",
        "list_coverage": "half",
        "consent": "customers",
        "website": "none",
        "ad_spend": "1 200 000 FCFA",
        "ad_platforms": ["meta"],
        "backup_places": ["computer"],
        "backup_frequency": "ad_hoc",
        "exports_done": ["none"],
        "platform_only_content": ["photos_posts"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["sms", "calls"],
        "outage_phone": "77 123 45 67",
        "daily_revenue": "2 000 000 FCFA",
        "peak_hours": ["afternoon", "evening"],
        "sales_recovered": "few",
    },
    top_three=("secure_accounts", "own_order_form", "diversify_ads"),
    never=(
        "security_gaps",
        "start_list",
        "reconsent",
        "payments_off_meta",
        "download_lives",
        "export_list",
    ),
    gaps=(
        "The audit asks about 'a second admin' but not how many people (employees) hold access "
        "to the pages and ad accounts, nor whether they log in with personal accounts.",
        "The audit does not ask where the customers' numbers are: here on the delivery drivers' "
        "and employees' phones, not in one list the business controls.",
        "Senegal's Law 2008-08 Art. 16 exempts data collected directly from customers for the "
        "same products, so 'stop sending' is too strong for his delivery customers; what the law "
        "asks, and the audit does not, is whether every message offers a free opt-out and "
        "whether the customer file is declared to the CDP.",
        "The audit does not separate turnover from profit, nor ad spend per page.",
    ),
)

MAGDA = Case(
    name="magda_virtual_assistant",
    owner="Magda, virtual assistant in Poland",
    locale="pl",
    situation=(
        "Magda supports clients remotely as a virtual assistant. She already archives well: "
        "company files on Google Drive and an external disk, client data and contracts archived "
        "monthly and copied to the cloud, invoices into Excel monthly, the process written in "
        "Trello and copied to Drive and her computer, and a Google Calendar reminder. Her one gap "
        "is the recordings of her lives on YouTube, never archived. Her audience reaches her "
        "mostly on Facebook and Instagram; her Mailerlite newsletter (sign-up form, double "
        "opt-in) goes out only now and then, and she wants to write it more often."
    ),
    answers={
        "business_name": "Magda – wirtualna asystentka",
        "country": "pl",
        "first_contact": ["facebook", "instagram", "email", "web_form"],
        "google_listing": "online_only",
        "top_channel_share": "65",
        "account_security": ["two_factor", "recovery_codes"],
        "account_trouble": False,
        "order_channels": ["email", "dms"],
        "meta_revenue_share": "40",
        "payments": ["bank_transfer"],
        "contact_list": ["newsletter_tool", "spreadsheet"],
        "customer_type": "businesses",
        "list_coverage": "half",
        "consent": "double_opt_in",
        "newsletter_frequency": "sporadic",
        "website": "contact_form",
        "website_address": "magda-va.pl",
        "domain_owner": True,
        "site_in_bios": True,
        "ad_spend": "0",
        "backup_places": ["computer", "external_disk", "cloud"],
        "backup_frequency": "monthly_reminder",
        "exports_done": ["email_csv"],
        "platform_only_content": ["lives"],
        "contingency_plan": False,
        "fallback_channels": ["email", "website_banner"],
        "daily_revenue": "600 zł",
        "peak_hours": ["morning"],
        "sales_recovered": "most",
    },
    top_three=("download_lives", "first_newsletter"),
    never=(
        "three_two_one",
        "backup_day",
        "start_list",
        "list_in_tool",
        "reconsent",
        "one_page_site",
        "own_domain",
        "own_order_form",
        "secure_accounts",
    ),
    gaps=(
        "The audit asks where copies are, not what is copied: her monthly archive covers "
        "contracts, invoices and client data, which the plan cannot see or credit.",
        "The audit does not ask whether the owner works inside clients' social accounts: a "
        "Facebook outage stops her deliverables, not only her marketing.",
        "'Recorded lives' lumps YouTube with Instagram; how YouTube Studio exports lives is an "
        "open question in DOMAIN.md.",
        "The article does not say whether she has ever tested a restore; left as 'don't know'.",
    ),
)

ESCOLA = Case(
    name="escola_podcast_studio",
    owner="Escola (Jędrzej Paulus), podcast studio in Poland",
    locale="pl",
    situation=(
        "Escola has built its marketing on podcasts and video for over two years: it streams on "
        "LinkedIn and YouTube and publishes audio on Spotify and Apple Podcasts, so the Meta "
        "outage went unnoticed ('if all social media vanish, we still have the podcast'). Clients "
        "are companies who order through the website, by email or by phone and pay by transfer "
        "or card. It has a double opt-in monthly newsletter covering almost all clients, its own "
        "domain, automatic 3-2-1 backups with a tested restore, recent exports, full account "
        "security and a written outage plan."
    ),
    answers={
        "business_name": "Escola Podcast",
        "country": "pl",
        "first_contact": ["linkedin", "youtube_podcast", "email", "instagram", "facebook"],
        "top_channel_share": "30",
        "google_listing": "listed",
        "account_security": ["two_factor", "two_admins", "recovery_codes"],
        "account_trouble": False,
        "order_channels": ["own_site", "email", "phone"],
        "meta_revenue_share": "10",
        "payments": ["bank_transfer", "card_own_site"],
        "contact_list": ["newsletter_tool"],
        "customer_type": "businesses",
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
        "outage_phone": "22 123 45 67",
        "daily_revenue": "5 000 zł",
        "peak_hours": ["morning", "afternoon"],
        "sales_recovered": "most",
    },
    top_three=("outage_drill",),
    never=(
        "second_contact",
        "secure_accounts",
        "security_gaps",
        "own_order_form",
        "start_list",
        "first_newsletter",
        "export_list",
        "reconsent",
        "one_page_site",
        "own_domain",
        "link_site",
        "diversify_ads",
        "three_two_one",
        "platform_exports",
        "backup_day",
        "restore_test",
        "outage_plan",
        "second_channel",
    ),
    gaps=(
        "The audit names the platforms customers come through, Meta's first; it does not ask "
        "which one carries the most (here YouTube, LinkedIn and Spotify, not Instagram).",
        "The audit does not ask who controls the podcast's RSS feed (the podcast's equivalent of "
        "the domain): a host that holds the feed can take the whole audience with it.",
    ),
)

# ── The hard ones ───────────────────────────────────────────────────────────────────────────

PHONE_ONLY = Case(
    name="phone_only_seller",
    owner="Lucía, second-hand children's clothes in Seville, phone only",
    locale="es",
    situation=(
        "Lucía sells second-hand children's clothes from home in Seville. Everything happens on "
        "one phone: she photographs each piece, posts it on Instagram, mothers reserve it in DMs "
        "or on WhatsApp, pay by Bizum and get it by post or at her door. She has no computer. "
        "The product photos, her customers' numbers and every order (size, address, paid or not) "
        "exist only on that phone and in the chats; nothing is synced, and she has no two-step "
        "login. She sells about EUR 80 a day, and she could text or call her regular customers."
    ),
    answers={
        "business_name": "Ropita de Lucía",
        "country": "es",
        "first_contact": ["instagram", "whatsapp"],
        "top_channel_share": "60",
        "account_security": ["none"],
        "account_trouble": False,
        "order_channels": ["dms", "whatsapp"],
        "meta_revenue_share": "100",
        "payments": ["mobile_money"],
        "contact_list": ["phone_book"],
        "customer_type": "consumers",
        "list_coverage": "almost_all",
        "consent": "verbal",
        "website": "none",
        "ad_spend": "0",
        "devices": "phone_only",  # the situation: no computer
        "backup_places": ["phone_only"],
        "backup_frequency": "ad_hoc",
        "exports_done": ["none"],
        "platform_only_content": ["none"],
        "contingency_plan": False,
        "fallback_channels": ["sms", "calls"],
        "outage_phone": "612 345 678",
        "daily_revenue": "80 €",
        "peak_hours": ["evening"],
        "sales_recovered": "half",
    },
    top_three=("secure_accounts", "three_two_one"),
    never=(
        "security_gaps",
        "start_list",
        "export_list",
        "list_in_tool",
        "reconsent",
        "payments_off_meta",
        "diversify_ads",
        "download_lives",
        "keep_masters",
        "restriction_log",
    ),
    gaps=(
        "The audit does not ask whether WhatsApp's own chat backup (Google Drive or iCloud) is "
        "on, which is the export that matters when the orders live in chats.",
        "The audit does not ask what losing the phone would cost: here it is the stock catalogue, "
        "the order book and the customer list at once, a bigger risk than a Meta outage.",
    ),
)

DORMANT_LIST = Case(
    name="dormant_list_candles",
    owner="Kasia, hand-poured candles in Poznań, 300 emails never used",
    locale="pl",
    situation=(
        "Kasia sells hand-poured candles through an online shop on her own domain (Shoper) and "
        "finds buyers on Instagram and Facebook, where she spends about 400 zł a month on ads. "
        "Two years ago a sign-up form with an unticked box collected 300 emails into Mailerlite; "
        "she has never written to them and never downloaded the list. She has two-step login, "
        "automatic backups to her laptop and Google Drive, and her site is linked everywhere."
    ),
    answers={
        "business_name": "Świece Kasi",
        "country": "pl",
        "first_contact": ["instagram", "facebook", "web_form"],
        "top_channel_share": "75",
        "account_security": ["two_factor", "recovery_codes"],
        "account_trouble": False,
        "order_channels": ["own_site", "dms"],
        "meta_revenue_share": "60",
        "payments": ["mobile_money", "card_own_site"],
        "contact_list": ["newsletter_tool"],
        "customer_type": "consumers",
        "list_coverage": "some",
        "consent": "logged_form",
        "newsletter_frequency": "never",
        "website": "ordering",
        "website_address": "swiecekasi.pl",
        "domain_owner": True,
        "site_in_bios": True,
        "ad_spend": "400 zł",
        "ad_platforms": ["meta"],
        "backup_places": ["computer", "cloud"],
        "backup_frequency": "automatic",
        "exports_done": ["none"],
        "platform_only_content": ["none"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["email", "website_banner"],
        "daily_revenue": "700 zł",
        "peak_hours": ["evening"],
        "sales_recovered": "half",
    },
    top_three=("first_newsletter", "export_list"),
    never=(
        "start_list",
        "reconsent",
        "record_consent",
        "list_in_tool",
        "own_order_form",
        "one_page_site",
        "own_domain",
        "link_site",
        "secure_accounts",
        "second_contact",
    ),
    gaps=(
        "The audit does not ask how old the list is or when it was last written to: a two-year "
        "silence calls for a re-introduction email and a clean-up of bounces, not just 'monthly'.",
        "The audit does not ask whether sign-ups came from a giveaway where joining was a "
        "condition of entry (consent then is not freely given).",
        "The audit does not ask for the list's size (300) next to the number of customers.",
    ),
)

AGENCY_DOMAIN = Case(
    name="ex_agency_domain_florist",
    owner="Marta, florist in Valencia whose domain is held by her former agency",
    locale="es",
    situation=(
        "Marta's flower shop in Valencia takes a third of its orders on a website an agency built "
        "in 2019, the rest by phone, WhatsApp and at the counter. She left the agency two years "
        "ago; the domain, and her email address on it, are still registered in the agency's "
        "account and renewed on its invoice. Otherwise she is well set up: a Google profile, "
        "two-step login and a second admin, a monthly newsletter with logged consent, ads split "
        "between Meta and Google, automatic backups and a fresh CSV of her list."
    ),
    answers={
        "business_name": "Flores Marta",
        "country": "es",
        "first_contact": ["instagram", "google_profile", "web_form", "phone_sms", "in_person"],
        "top_channel_share": "35",
        "account_security": ["two_factor", "two_admins", "recovery_codes"],
        "account_trouble": False,
        "order_channels": ["own_site", "phone", "whatsapp", "in_person"],
        "meta_revenue_share": "25",
        "payments": ["card_own_site", "card_terminal", "mobile_money"],
        "contact_list": ["newsletter_tool"],
        "customer_type": "consumers",
        "list_coverage": "half",
        "consent": "logged_form",
        "newsletter_frequency": "monthly",
        "website": "ordering",
        "website_address": "floresmarta.es",
        "domain_owner": False,
        "site_in_bios": True,
        "ad_spend": "150 €",
        "ad_platforms": ["meta", "google_ads"],
        "ad_meta_share": "50",
        "backup_places": ["computer", "cloud"],
        "backup_frequency": "automatic",
        "exports_done": ["email_csv", "meta_dyi"],
        "platform_only_content": ["none"],
        "restore_tested": True,
        "contingency_plan": False,
        "fallback_channels": ["email", "website_banner", "google_post", "calls"],
        "outage_phone": "963 12 34 56",
        "daily_revenue": "900 €",
        "peak_hours": ["morning"],
        "sales_recovered": "most",
    },
    top_three=("own_domain",),
    never=(
        "one_page_site",
        "own_order_form",
        "start_list",
        "first_newsletter",
        "export_list",
        "reconsent",
        "link_site",
        "secure_accounts",
        "security_gaps",
        "second_contact",
        "google_profile",
        "diversify_ads",
        "second_channel",
    ),
    gaps=(
        "The audit does not ask whether the business email runs on the same domain: if the "
        "domain lapses, the shop's email and every account that logs in with it go too.",
        "The audit does not ask who holds the hosting and the site's admin login, which the "
        "former agency may also keep.",
        "The audit does not ask when the domain expires.",
    ),
)

LYON_CATERER = Case(
    name="lyon_b2b_caterer",
    owner="Traiteur in Lyon selling to companies",
    locale="fr",
    situation=(
        "A caterer in Lyon cooks for company seminars and office lunches. Office managers find it "
        "through Google, LinkedIn, the website's quote form and word of mouth; Instagram only "
        "shows the dishes. Quotes and orders go by email and phone, invoices are paid by "
        "transfer. Its most valuable asset is a spreadsheet of 450 business contacts to whom the "
        "seasonal menu goes out by Gmail in BCC a few times a year, without an unsubscribe link. "
        "It advertises on Google and LinkedIn, has its own domain, weekly backups to a disk and a "
        "computer, and nothing of note lives only on a platform."
    ),
    answers={
        "business_name": "Les Tables de Saint-Jean",
        "country": "fr",
        "first_contact": ["google_profile", "linkedin", "web_form", "email", "instagram"],
        "top_channel_share": "35",
        "account_security": ["two_factor"],
        "account_trouble": False,
        "order_channels": ["email", "phone"],
        "meta_revenue_share": "5",
        "payments": ["bank_transfer"],
        "contact_list": ["spreadsheet"],
        "customer_type": "businesses",
        "list_coverage": "almost_all",
        "consent": "customers",
        "newsletter_frequency": "sporadic",
        "website": "contact_form",
        "website_address": "tables-saint-jean.fr",
        "domain_owner": True,
        "site_in_bios": True,
        "ad_spend": "300 €",
        "ad_platforms": ["google_ads", "linkedin"],
        "backup_places": ["computer", "external_disk"],
        "backup_frequency": "weekly",
        "exports_done": ["none"],
        "platform_only_content": ["none"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["email", "calls", "linkedin", "website_banner"],
        "outage_phone": "04 78 12 34 56",
        "daily_revenue": "1 800 €",
        "peak_hours": ["morning"],
        "sales_recovered": "most",
    },
    top_three=("list_in_tool",),
    never=(
        "reconsent",
        "second_contact",
        "google_profile",
        "own_order_form",
        "payments_off_meta",
        "start_list",
        "one_page_site",
        "own_domain",
        "link_site",
        "diversify_ads",
        "download_lives",
        "second_channel",
    ),
    gaps=(
        "The audit does not ask whether messages carry an unsubscribe link and the sender's "
        "identity, which is what the law actually requires of this list.",
        "The audit does not ask about dependence on the email provider (quotes and order history "
        "in one Gmail mailbox), the real single point of failure for this business.",
        "The audit does not ask about key customers: a few companies may be most of the revenue.",
    ),
)

SKIPPED_ALL = Case(
    name="skipped_everything",
    owner="An owner who answered 'don't know' to everything",
    locale="en",
    situation=(
        "An owner in a workshop tapped 'don't know' (or 'skip') on every question, perhaps in a "
        "hurry, perhaps because a partner handles the accounts. Nothing is known: not the "
        "channels, not the list, not the site, not the backups. An adviser would say what could "
        "not be judged and still give the moves that are right for almost any small business "
        "that does not know the answers: someone who does not know whether two-step login is on "
        "almost certainly has not turned it on, and someone who does not know where the copies "
        "are has none that they could restore."
    ),
    answers={},
    top_three=("secure_accounts", "three_two_one", "start_list"),
    never=(
        "restriction_log",
        "security_gaps",
        "reconsent",
        "record_consent",
        "export_list",
        "list_in_tool",
        "grow_list",
        "payments_off_meta",
        "diversify_ads",
        "download_lives",
        "keep_masters",
        "link_site",
        "outage_drill",
    ),
    gaps=(
        "The audit cannot tell 'in a hurry' from 'genuinely do not know'; a plan built on nothing "
        "should say so first and invite the owner back to answer the five questions that matter "
        "most (channels, list, website, backups, account security).",
        "Rehearsing an outage plan that does not exist ('outage_drill') makes no sense before "
        "the plan is written.",
    ),
)

FACEBOOK_BAKERY = Case(
    name="facebook_bakery_rennes",
    owner="Boulangerie in a Breton town, Facebook page only",
    locale="fr",
    situation=(
        "A family bakery near Rennes. Its only online presence is a Facebook page run by the "
        "owner's daughter, where the day's specials are posted. Customers walk in; cake orders "
        "come by phone or at the counter and are written in a paper book with the customer's "
        "number. Payment is cash or card terminal. There is no website and no Google profile "
        "claimed, no ads, and the accounts and invoices sit on one computer in the back office, "
        "copied when someone remembers. A Facebook outage would cost almost nothing; a hacked "
        "page posting scams, or a dead back-office computer, would cost much more."
    ),
    answers={
        "business_name": "Boulangerie Le Goff",
        "country": "fr",
        "first_contact": ["in_person", "facebook", "phone_sms"],
        "google_listing": "not_listed",
        "top_channel_share": "70",
        "account_security": ["none"],
        "account_trouble": False,
        "order_channels": ["phone", "in_person"],
        "meta_revenue_share": "5",
        "payments": ["cash", "card_terminal"],
        "contact_list": ["none"],
        "website": "none",
        "ad_spend": "0",
        "backup_places": ["computer"],
        "backup_frequency": "ad_hoc",
        "exports_done": ["none"],
        "platform_only_content": ["none"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["calls", "shop"],
        "outage_phone": "02 99 12 34 56",
        "daily_revenue": "1 200 €",
        "peak_hours": ["morning"],
        "sales_recovered": "most",
    },
    top_three=("google_profile", "secure_accounts", "three_two_one"),
    never=(
        "own_order_form",
        "second_contact",
        "second_channel",
        "payments_off_meta",
        "diversify_ads",
        "security_gaps",
        "download_lives",
        "keep_masters",
        "restriction_log",
    ),
    gaps=(
        "A paper order book with customers' numbers is not an option for 'contacts outside the "
        "social networks'; 'no, nowhere' is the closest answer.",
        "The audit does not ask how many people can post on the page or whose personal account "
        "owns it (here the daughter's).",
    ),
)

BOGOTA = Case(
    name="bogota_phone_accessories",
    owner="Tienda de accesorios para celular in Bogotá, prices in pesos",
    locale="es",
    situation=(
        "Daniela sells phone cases and accessories in Bogotá. Buyers find her on Instagram, "
        "TikTok and Mercado Libre, and order on WhatsApp, in DMs or on Mercado Libre; they pay "
        "with Nequi, PSE transfer or cash on delivery. About COP 2.500.000 a day, 70 % of it "
        "through Meta's apps. Instagram blocked her account for ten days in 2023 for "
        "'impersonation'; she has two-step login but no second admin and no recovery codes. Her "
        "buyers' numbers are saved in WhatsApp Business (they agreed in chat to get news), she "
        "spends COP 800.000 a month on ads (mostly Meta, some TikTok), photos sync to Google "
        "Photos, and she only has a Linktree."
    ),
    answers={
        "business_name": "Dani Cases",
        "country": "co",
        "first_contact": ["instagram", "whatsapp", "tiktok", "marketplace"],
        "top_channel_share": "55",
        "google_listing": "online_only",
        "account_security": ["two_factor"],
        "account_trouble": True,
        "account_trouble_details": "Instagram me bloqueó la cuenta 10 días en 2023 por suplantación",
        "order_channels": ["whatsapp", "dms", "marketplace"],
        "meta_revenue_share": "70 %",
        "payments": ["mobile_money", "bank_transfer", "cash"],
        "contact_list": ["phone_book"],
        "customer_type": "consumers",
        "list_coverage": "almost_all",
        "consent": "verbal",
        "website": "link_in_bio",
        "ad_spend": "$800.000",
        "ad_platforms": ["meta", "tiktok"],
        "ad_meta_share": "80",
        "backup_places": ["cloud"],
        "backup_frequency": "automatic",
        "exports_done": ["none"],
        "platform_only_content": ["none"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["sms", "calls"],
        "outage_phone": "300 123 4567",
        "daily_revenue": "$ 2.500.000",
        "peak_hours": ["evening"],
        "sales_recovered": "half",
    },
    top_three=("security_gaps", "own_order_form"),
    never=(
        "secure_accounts",
        "start_list",
        "reconsent",
        "list_in_tool",
        "export_list",
        "payments_off_meta",
        "download_lives",
        "keep_masters",
    ),
    gaps=(
        "A marketplace (Mercado Libre) is a second platform dependence the audit does not score "
        "or plan for (its own account suspensions, its own customer data rules).",
        "The audit does not ask about WhatsApp Business labels, catalogue or broadcast lists "
        "(256 recipients, only those who saved her number).",
    ),
)

KRAKOW_BAKERY = Case(
    name="krakow_sourdough_bakery",
    owner="Piekarnia rzemieślnicza in Kraków, weekend pre-orders in DMs",
    locale="pl",
    situation=(
        "A sourdough bakery in Kazimierz sells over the counter on weekdays and, on Saturdays, "
        "hands out bread pre-ordered in Instagram and Messenger DMs during the week; those "
        "pre-orders are about 40 % of revenue and all arrive on Thursday and Friday. Pick-up "
        "customers' phone numbers go into a Google Sheet, and the owner would like to text them "
        "when the bread is ready and when there are specials, though nobody was asked. A friend "
        "built an information page; nobody knows in whose name the domain is, and it is not "
        "linked from Instagram. Two-step login and recovery codes are on; the Google profile is "
        "claimed; backups to a laptop and Google Drive are automatic."
    ),
    answers={
        "business_name": "Zakwas Kazimierz",
        "country": "pl",
        "first_contact": ["instagram", "facebook", "messenger", "google_profile", "in_person"],
        "top_channel_share": "50",
        "account_security": ["two_factor", "recovery_codes"],
        "account_trouble": False,
        "order_channels": ["dms", "in_person", "phone"],
        "meta_revenue_share": "40",
        "payments": ["card_terminal", "mobile_money", "cash"],
        "contact_list": ["spreadsheet"],
        "customer_type": "consumers",
        "list_coverage": "half",
        "consent": "customers",
        "newsletter_frequency": "never",
        "website": "info",
        "website_address": "zakwaskazimierz.pl",
        "site_in_bios": False,
        "ad_spend": "200 zł",
        "ad_platforms": ["meta"],
        "backup_places": ["computer", "cloud"],
        "backup_frequency": "automatic",
        "exports_done": ["none"],
        "platform_only_content": ["photos_posts"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["calls", "google_post"],
        "outage_phone": "12 345 67 89",
        "daily_revenue": "3 500 zł",
        "peak_hours": ["morning"],
        "sales_recovered": "most",
    },
    top_three=("own_order_form", "reconsent"),
    never=(
        "start_list",
        "second_contact",
        "google_profile",
        "one_page_site",
        "secure_accounts",
        "payments_off_meta",
        "download_lives",
    ),
    gaps=(
        "The audit cannot tell that the Meta share is concentrated in one window (Thursday and "
        "Friday pre-orders for Saturday): 40 % of revenue on average is all of Saturday's "
        "pre-orders if an outage hits on Friday evening. A pre-order form on the bakery's own "
        "page feeding the existing Google Sheet is the decisive move; the plan reaches it "
        "because orders arrive in messages and not by email, not because it sees the window.",
        "The audit does not separate service messages ('your bread is ready', allowed) from "
        "marketing texts (specials), which in Poland need prior consent per channel (Prawo "
        "komunikacji elektronicznej Art. 398).",
        "The owner does not know whose name the domain is in: 'don't know' is skipped, which the "
        "plan should treat as a WHOIS check to do.",
    ),
)

DAKAR_TAILOR = Case(
    name="dakar_tailor_whatsapp",
    owner="Couturier in the Médina, Dakar, WhatsApp only",
    locale="fr",
    situation=(
        "Ousmane is a tailor in the Médina, Dakar. Clients come to the workshop by word of mouth "
        "or write on WhatsApp: they send photos of the model and of their fabric, he records "
        "their measurements in the chat and in a notebook, and they pay cash or by Wave. Before "
        "Tabaski and Korité the chats are his whole order book. He has no website, no ads and no "
        "computer; everything, including the photos of past models he shows new clients, is on "
        "his phone. WhatsApp has no two-step PIN, and SIM swaps are common. He could call or "
        "text his regular clients, whose numbers are in his phone."
    ),
    answers={
        "business_name": "Couture Ousmane",
        "country": "sn",
        "first_contact": ["whatsapp", "in_person"],
        "top_channel_share": "70",
        "google_listing": "not_listed",
        "account_security": ["none"],
        "account_trouble": False,
        "order_channels": ["whatsapp", "in_person"],
        "meta_revenue_share": "80",
        "payments": ["cash", "mobile_money"],
        "contact_list": ["phone_book"],
        "customer_type": "consumers",
        "list_coverage": "almost_all",
        "consent": "verbal",
        "website": "none",
        "ad_spend": "0",
        "devices": "phone_only",  # the situation: no computer
        "backup_places": ["phone_only"],
        "backup_frequency": "ad_hoc",
        "exports_done": ["none"],
        "platform_only_content": ["none"],
        "contingency_plan": False,
        "fallback_channels": ["sms", "calls"],
        "outage_phone": "77 987 65 43",
        "daily_revenue": "40 000 FCFA",
        "peak_hours": ["afternoon"],
        "sales_recovered": "most",
    },
    top_three=("secure_accounts", "platform_exports", "three_two_one"),
    never=(
        "security_gaps",
        "start_list",
        "export_list",
        "list_in_tool",
        "reconsent",
        "payments_off_meta",
        "diversify_ads",
        "download_lives",
        "keep_masters",
        "restriction_log",
        "second_channel",
    ),
    gaps=(
        "The audit does not ask where order details live (measurements, fabric photos, "
        "deadlines): here only in WhatsApp chats and a paper notebook.",
        "The audit does not ask whether WhatsApp's own chat backup to Google Drive is on, nor "
        "about SIM-swap protection (the WhatsApp two-step PIN), the main takeover route here.",
        "The audit does not ask about seasonal peaks (Tabaski, Korité) when an outage or a lost "
        "phone would cost weeks of orders.",
    ),
)

COACH_300 = Case(
    name="coach_300_subscribers",
    owner="Nutrition coach in Bordeaux, 300 subscribers written to monthly",
    locale="fr",
    situation=(
        "Claire coaches clients on nutrition in Bordeaux and online. Instagram brings 70 % of "
        "first contacts; the rest come from her website's booking page, email and her podcast. "
        "She already has what most owners lack: 300 subscribers in Brevo (double opt-in, almost "
        "all her clients), a monthly newsletter, a recent CSV of the list, a booking site on her "
        "own domain linked from every bio, card payment on the site, two-step login with saved "
        "codes, and automatic backups to a laptop and Google Drive. Her weekly Instagram lives "
        "have never been saved, she has no written outage plan, and her 150 € of ads all go to "
        "Meta."
    ),
    answers={
        "business_name": "Claire Nutrition",
        "country": "fr",
        "first_contact": ["instagram", "web_form", "email", "youtube_podcast"],
        "top_channel_share": "70",
        "google_listing": "not_listed",
        "account_security": ["two_factor", "recovery_codes"],
        "account_trouble": False,
        "order_channels": ["own_site", "dms", "email"],
        "meta_revenue_share": "40",
        "payments": ["card_own_site", "bank_transfer"],
        "contact_list": ["newsletter_tool"],
        "customer_type": "consumers",
        "list_coverage": "almost_all",
        "consent": "double_opt_in",
        "newsletter_frequency": "monthly",
        "website": "ordering",
        "website_address": "claire-nutrition.fr",
        "domain_owner": True,
        "site_in_bios": True,
        "ad_spend": "150 €",
        "ad_platforms": ["meta"],
        "backup_places": ["computer", "cloud"],
        "backup_frequency": "automatic",
        "exports_done": ["email_csv"],
        "platform_only_content": ["lives"],
        "restore_tested": False,
        "contingency_plan": False,
        "fallback_channels": ["email", "website_banner", "youtube_podcast"],
        "daily_revenue": "250 €",
        "peak_hours": ["morning", "evening"],
        "sales_recovered": "most",
    },
    top_three=("download_lives", "outage_plan"),
    never=(
        "start_list",
        "first_newsletter",
        "export_list",
        "reconsent",
        "record_consent",
        "grow_list",
        "list_in_tool",
        "one_page_site",
        "own_domain",
        "link_site",
        "own_order_form",
        "second_contact",
        "secure_accounts",
        "second_channel",
        "payments_off_meta",
    ),
    gaps=(
        "The audit does not ask whether the lives are a product (replays sold or given to "
        "clients) or just marketing, which decides how urgent saving them is.",
        "The audit does not ask whether the owner works alone: a second admin is generic advice "
        "for a solo coach, who needs a trusted recovery contact more.",
    ),
)

CASES: tuple[Case, ...] = (
    RANKIN,
    MILLER,
    DIOUF,
    MAGDA,
    ESCOLA,
    PHONE_ONLY,
    DORMANT_LIST,
    AGENCY_DOMAIN,
    LYON_CATERER,
    SKIPPED_ALL,
    FACEBOOK_BAKERY,
    BOGOTA,
    KRAKOW_BAKERY,
    DAKAR_TAILOR,
    COACH_300,
)
