"""Demo partnerships: every status, versioned terms, real acceptances, parcels and payouts.

Everything goes through the services, so the demo holds exactly what real use would:
hashed proposals, acceptances by the influencer's own login, a renewal, history rows.
Acceptances need a portal login, so only the two portal influencers (Nurul Izzah and
Jason Lim) get partnerships that are accepted, active or completed; nothing is faked
for the others. Keyed on (campaign, influencer): a second run creates nothing.
"""

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from campaigns.models import Campaign
from influencers.models import Influencer
from partnerships import services
from partnerships.delivery import shipments as shipment_services
from partnerships.models import Partnership
from partnerships.terms import services as terms_services

OWNER_EMAIL = "marketer@example.com"
IP, USER_AGENT = "203.0.113.10", "Demo seed"
NURUL, JASON = "influencer@example.com", "influencer2@example.com"
SAHUR, RAYA, COLD = "kopikita_sahur_brew", "batikbaru_raya_sedondon", "kopikita_cold_brew_launch"
OFFICE, MERDEKA = "sihatbox_back_to_office", "batikbaru_merdeka_heritage"
HAMPERS = "sihatbox_year_end_hampers"
Status = Partnership.Status


@dataclass(frozen=True)
class Terms:
    fee: str
    # (platform, format, quantity, due: days after the campaign starts, requirements)
    deliverables: list[tuple[str, str, int, int, str]]
    # (description, quantity, cost of goods each, retail value each)
    product: tuple[str, int, str, str] | None = None
    # (percent, discount code)
    commission: tuple[str, str] | None = None
    perk: str = ""
    # (metric, target, [(threshold, bonus amount)])
    kpis: list[tuple[str, int, list[tuple[int, str]]]] = field(default_factory=list)


@dataclass(frozen=True)
class Parcel:
    item: str
    quantity: int
    value: str
    shipping_cost: str
    status: str
    sent: int | None = None  # days after the campaign starts
    delivered: int | None = None
    carrier: str = ""
    tracking_number: str = ""
    review_url: str = ""


@dataclass(frozen=True)
class Paid:
    kind: str
    amount: str
    days_after_end: int  # negative: while the campaign runs
    note: str = ""


@dataclass(frozen=True)
class DemoPartnership:
    email: str
    campaign: str
    status: str
    versions: list[Terms]
    accepted: tuple[int, ...] = ()  # version numbers the influencer accepts, in order
    propose_last: bool = True  # False leaves the last version as a draft
    renew_from: str = ""  # the campaign of the partnership this one renews
    parcels: list[Parcel] = field(default_factory=list)
    payments: list[Paid] = field(default_factory=list)


def revised(terms: Terms, **changes) -> Terms:
    return dataclasses.replace(terms, **changes)


# --- The data ---------------------------------------------------------------------------

# fmt: off
NURUL_SAHUR = Terms(
    "1500.00",
    [("instagram", "reel", 2, 7, "Your sahur routine with the Ramadan bundle."),
     ("tiktok", "video", 1, 14, "A 30-second brew challenge before imsak.")],
    product=("Kopi Kita Ramadan bundle (3 boxes)", 2, "38.00", "69.90"),
    commission=("10.00", "NURULSAHUR"),
    perk="Kopi Kita features your recipe e-book in its Ramadan newsletter.",
    kpis=[("sessions", 2000, [(3000, "300.00")]), ("conversions", 120, [(200, "250.00")])],
)
NURUL_COLD = Terms(
    "2000.00",
    [("instagram", "reel", 2, 5, "Cold brew on a hot commute; can straight from the fridge."),
     ("tiktok", "video", 2, 10, "Your cold brew affogato or tonic recipe."),
     ("youtube", "video", 1, 20, "A longer recipe video; the can appears in the first minute.")],
    product=("Kopi Kita Cold Brew carton (24 cans)", 1, "62.00", "119.00"),
    commission=("12.00", "NURULCOLD"),
    perk="Kopi Kita features your recipe e-book in its newsletter.",
    kpis=[("sessions", 2500, [(4000, "400.00")]), ("conversions", 150, [(250, "300.00")])],
)
NURUL_OFFICE = Terms(
    "900.00",
    [("instagram", "post", 1, 7, "Your desk lunch, with the snack box in shot."),
     ("tiktok", "video", 1, 14, "Honest taste test of three snacks.")],
    product=("SihatBox office box (monthly)", 3, "22.00", "45.00"),
    commission=("8.00", "NURULSIHAT"),
    kpis=[("link_clicks", 1500, [(2500, "150.00")])],
)
JASON_SAHUR = Terms(
    "1200.00",
    [("youtube", "video", 1, 10, "Desk setup video: what fuels the late-night edits."),
     ("instagram", "post", 1, 12, ""),
     ("x", "post", 2, 14, "Link to the Ramadan bundle page with your code.")],
    product=("Kopi Kita Ramadan bundle (3 boxes)", 1, "38.00", "69.90"),
    commission=("10.00", "JASONKOPI"),
    kpis=[("views", 20000, [(40000, "200.00")]), ("link_clicks", 800, [])],
)
JASON_OFFICE = Terms(
    "1000.00",
    [("youtube", "video", 1, 14, "Productivity desk tour with the snack box."),
     ("instagram", "reel", 1, 10, "")],
    product=("SihatBox office box (monthly)", 3, "22.00", "45.00"),
    commission=("8.00", "JASONSIHAT"),
    perk="SihatBox lists your productivity template pack in its subscriber email.",
    kpis=[("link_clicks", 1200, [(2000, "150.00")])],
)
JASON_COLD = Terms(
    "1500.00",
    [("youtube", "video", 1, 21, "Cold brew in a long review of your editing setup."),
     ("instagram", "reel", 1, 24, "")],
    product=("Kopi Kita Cold Brew carton (24 cans)", 1, "62.00", "119.00"),
    commission=("10.00", "JASONCOLD"),
    kpis=[("sessions", 1500, [(2500, "200.00")])],
)
SITI_OFFICE = Terms(
    "900.00",
    [("facebook", "post", 2, 7, "School-run snacks for the kids and for you."),
     ("instagram", "story", 3, 9, "Swipe-up link to the subscription page.")],
    product=("SihatBox family box (monthly)", 2, "28.00", "59.00"),
    perk="SihatBox shares your budget meal planner in its parents' newsletter.",
    kpis=[("link_clicks", 1000, [(1800, "120.00")])],
)
BALQIS_HAMPERS = Terms(
    "600.00",
    [("blog", "blog_post", 1, 10, "A low-waste gifting guide that includes the hamper."),
     ("instagram", "reel", 1, 14, "")],
    product=("SihatBox year-end hamper", 1, "85.00", "168.00"),
    kpis=[("sessions", 600, [])],
)

PARTNERSHIPS = [
    # Nurul Izzah: a completed campaign, its renewal running now, and an offer to answer.
    DemoPartnership(
        NURUL, SAHUR, Status.COMPLETED,
        [NURUL_SAHUR,
         revised(NURUL_SAHUR, fee="1800.00", deliverables=[
             *NURUL_SAHUR.deliverables[:1],
             ("tiktok", "video", 1, 21, "Moved after Nuzul Al-Quran: a 30-second brew challenge."),
             ("youtube", "short", 1, 24, "A quick sahur recipe using the bundle.")])],
        accepted=(1, 2),
        parcels=[Parcel("Kopi Kita Ramadan bundle (3 boxes)", 2, "76.00", "12.50", "delivered",
                        sent=-10, delivered=-8, carrier="Pos Laju",
                        tracking_number="EP123456789MY",
                        review_url="https://www.instagram.com/reel/demo-nurul-sahur/")],
        payments=[Paid("cash", "1800.00", 25, "Fee, invoice NI-0412"),
                  Paid("commission", "412.80", 30, "10% on 86 bundles sold with NURULSAHUR")],
    ),
    DemoPartnership(
        NURUL, COLD, Status.ACTIVE, [NURUL_COLD], accepted=(1,), renew_from=SAHUR,
        parcels=[Parcel("Kopi Kita Cold Brew carton (24 cans)", 1, "62.00", "9.90", "delivered",
                        sent=1, delivered=3, carrier="J&T Express",
                        tracking_number="JT0098812345",
                        review_url="https://www.tiktok.com/@nurul.eats/video/7300000000000000001")],
        payments=[Paid("commission", "180.00", -55, "First month: 12% on 25 orders")],
    ),
    DemoPartnership(
        NURUL, OFFICE, Status.PROPOSED,
        [NURUL_OFFICE,
         revised(NURUL_OFFICE, fee="1100.00", deliverables=[
             *NURUL_OFFICE.deliverables,
             ("instagram", "story", 3, 16, "Link sticker to the subscription page.")])],
        parcels=[Parcel("SihatBox office box (3 months)", 3, "66.00", "0.00", "preparing")],
    ),
    # Jason Lim: a completed campaign, accepted revised terms, and an offer to answer.
    DemoPartnership(
        JASON, SAHUR, Status.COMPLETED, [JASON_SAHUR], accepted=(1,),
        parcels=[Parcel("Kopi Kita Ramadan bundle (3 boxes)", 1, "38.00", "8.00", "delivered",
                        sent=-7, delivered=-4, carrier="Pos Laju",
                        tracking_number="EP987654321MY",
                        review_url="https://www.youtube.com/watch?v=demoJasonKopi")],
        payments=[Paid("commission", "96.50", 30, "10% on JASONKOPI sales")],
    ),
    DemoPartnership(
        JASON, OFFICE, Status.ACCEPTED,
        [JASON_OFFICE,
         revised(JASON_OFFICE, fee="1250.00", deliverables=[
             *JASON_OFFICE.deliverables,
             ("youtube", "short", 2, 18, "Two shorts: 3 pm slump, before and after.")])],
        accepted=(2,),
        parcels=[Parcel("SihatBox office box (3 months)", 3, "66.00", "12.00", "sent", sent=2,
                        carrier="J&T Express", tracking_number="JT0098812399")],
    ),
    DemoPartnership(JASON, COLD, Status.PROPOSED, [JASON_COLD]),
    # Influencers without a portal login: offers in progress, declined or cancelled.
    DemoPartnership(
        "meiling.tan@example.net", COLD, Status.PROPOSED,
        [Terms("1200.00",
               [("instagram", "reel", 1, 12, "A kopitiam-style cold brew, less sweet."),
                ("tiktok", "video", 2, 18, "")],
               product=("Kopi Kita Cold Brew carton (24 cans)", 1, "62.00", "119.00"),
               commission=("10.00", "MEILINGCOLD"),
               kpis=[("sessions", 1500, [(2500, "200.00")])])],
    ),
    DemoPartnership(
        "darren.khoo@example.net", COLD, Status.DECLINED,
        [Terms("800.00",
               [("instagram", "post", 2, 10, "Cold brew next to your Ipoh white coffee.")],
               product=("Kopi Kita Cold Brew carton (24 cans)", 1, "62.00", "119.00"))],
    ),
    DemoPartnership(
        "siti.aisyah@example.net", OFFICE, Status.PROPOSED,
        [SITI_OFFICE,
         revised(SITI_OFFICE, fee="1000.00"),
         revised(SITI_OFFICE, fee="1150.00", deliverables=[
             *SITI_OFFICE.deliverables,
             ("instagram", "reel", 1, 14, "Packing three lunchboxes in five minutes.")])],
    ),
    DemoPartnership(
        "aiman.hakim@example.net", OFFICE, Status.CANCELLED,
        [Terms("700.00", [("tiktok", "video", 2, 10, "Post-run snacks at the office.")])],
        propose_last=False,
    ),
    DemoPartnership(
        "kavitha.rajan@example.net", RAYA, Status.DECLINED,
        [Terms("2500.00",
               [("instagram", "reel", 2, 5, "Your family in matching sets."),
                ("tiktok", "video", 2, 9, "")],
               product=("Batik Baru sedondon family set", 1, "180.00", "459.00"),
               kpis=[("sessions", 1200, [])])],
    ),
    DemoPartnership(
        "kavitha.rajan@example.net", MERDEKA, Status.DRAFT,
        [Terms("2200.00",
               [("instagram", "post", 3, 10, "A carousel: one print, three ways to wear it."),
                ("tiktok", "video", 1, 14, "")],
               product=("Batik Baru heritage print kurung", 2, "140.00", "329.00"),
               commission=("12.00", "KAVITHAMERDEKA"),
               kpis=[("sessions", 1500, [(2500, "250.00")])])],
        propose_last=False,
    ),
    DemoPartnership(
        "shermaine.koh@example.net", MERDEKA, Status.PROPOSED,
        [Terms("4800.00",
               [("instagram", "reel", 2, 7, "Heritage prints for a Singapore weekend."),
                ("instagram", "story", 4, 8, "Link sticker to the collection."),
                ("tiktok", "video", 1, 12, "")],
               product=("Batik Baru heritage print dress", 2, "160.00", "389.00"),
               commission=("10.00", "SHERMAINEMERDEKA"),
               kpis=[("sessions", 3000, [(4500, "500.00")]), ("conversions", 80, [])])],
    ),
    DemoPartnership(
        "amirah.sofea@example.net", MERDEKA, Status.DRAFT,
        [Terms("900.00",
               [("instagram", "post", 2, 10, "Campus or office outfit with one print."),
                ("tiktok", "video", 1, 15, "")],
               product=("Batik Baru heritage print shirt", 1, "95.00", "219.00"))],
        propose_last=False,
    ),
    DemoPartnership(
        "joanne.chew@example.net", HAMPERS, Status.DRAFT,
        [Terms("800.00",
               [("blog", "blog_post", 1, 10, "A Nyonya-inspired pairing for the hamper."),
                ("instagram", "post", 1, 12, "")],
               product=("SihatBox year-end hamper", 1, "85.00", "168.00"),
               perk="SihatBox includes a card for your grandmother's recipe book in 100 "
                    "hampers.")],
        propose_last=False,
    ),
    DemoPartnership(
        "khairul.anuar@example.net", SAHUR, Status.CANCELLED,
        [Terms("2200.00",
               [("youtube", "video", 1, 10, "Sahur stop on a North-South Highway road trip."),
                ("facebook", "post", 2, 12, "")],
               kpis=[("views", 30000, [(50000, "300.00")])])],
    ),
    DemoPartnership(
        "balqis.humaira@example.net", HAMPERS, Status.PROPOSED,
        [BALQIS_HAMPERS,
         revised(BALQIS_HAMPERS, fee="700.00", deliverables=[
             ("blog", "blog_post", 1, 10, "A low-waste gifting guide; show the plastic-free "
                                          "packaging."),
             *BALQIS_HAMPERS.deliverables[1:]])],
    ),
]
# fmt: on

# Status changes made by hand after the terms settle, to reach each final status.
PATHS = {
    Status.ACTIVE: [Status.ACTIVE],
    Status.COMPLETED: [Status.ACTIVE, Status.COMPLETED],
    Status.DECLINED: [Status.DECLINED],
    Status.CANCELLED: [Status.CANCELLED],
}
# What the demo owner wrote when closing (a closing move needs a reason).
CLOSING_REASONS = {
    Status.COMPLETED: "Delivered everything agreed",
    Status.DECLINED: "Dates did not suit the creator",
    Status.CANCELLED: "Budget moved to another campaign",
}


# --- Building one -----------------------------------------------------------------------


def _terms_input(
    terms: Terms, influencer: Influencer, starts_on: date
) -> terms_services.TermsInput:
    channels = {c.platform: c for c in influencer.channels.all()}
    compensation = [{"kind": "cash", "amount": Decimal(terms.fee), "currency": "MYR"}]
    if terms.product:
        description, quantity, cost, retail = terms.product
        compensation.append(
            {
                "kind": "product",
                "description": description,
                "quantity": quantity,
                "cost_of_goods": Decimal(cost),
                "retail_value": Decimal(retail),
                "currency": "MYR",
            }
        )
    if terms.commission:
        percent, code = terms.commission
        compensation.append(
            {
                "kind": "commission",
                "description": "On sales made with your code",
                "commission_percent": Decimal(percent),
                "discount_code": code,
                "currency": "MYR",
            }
        )
    if terms.perk:
        compensation.append({"kind": "perk", "description": terms.perk, "currency": "MYR"})
    return terms_services.TermsInput(
        fields={},
        deliverables=[
            {
                "channel": channels[platform],
                "format": fmt,
                "quantity": quantity,
                "due_on": starts_on + timedelta(days=due),
                "requirements": requirements,
            }
            for platform, fmt, quantity, due, requirements in terms.deliverables
        ],
        compensation=compensation,
        kpis=[
            {
                "metric": metric,
                "target": target,
                "bonus_tiers": [{"threshold": t, "amount": amount} for t, amount in tiers],
            }
            for metric, target, tiers in terms.kpis
        ],
    )


def _start(entry: DemoPartnership, owner: User, campaign: Campaign, influencer: Influencer):
    if entry.renew_from:
        source = Partnership.objects.get(
            campaign__utm_campaign=entry.renew_from, influencer=influencer
        )
        return services.partnership_renew(partnership=source, campaign=campaign, by=owner)
    return services.partnership_create(campaign=campaign, influencer=influencer, by=owner)


def _agree_terms(entry: DemoPartnership, partnership: Partnership, owner: User) -> None:
    influencer, campaign = partnership.influencer, partnership.campaign
    for number, terms in enumerate(entry.versions, start=1):
        # Version 1 is the draft made with the partnership; later ones copy the latest.
        version = terms_services.terms_open_draft(
            partnership=partnership, by=owner, based_on=max(number - 1, 1)
        )
        data = _terms_input(terms, influencer, campaign.starts_on)
        terms_services.terms_save(version=version, by=owner, data=data)
        if number == len(entry.versions) and not entry.propose_last:
            return
        terms_services.terms_propose(version=version, by=owner)
        if number in entry.accepted:
            terms_services.terms_accept(
                version=version, by=influencer.user, ip=IP, user_agent=USER_AGENT
            )


def _ship_and_pay(entry: DemoPartnership, partnership: Partnership, owner: User) -> None:
    campaign = partnership.campaign

    def day(offset: int | None) -> date | None:
        return None if offset is None else campaign.starts_on + timedelta(days=offset)

    for parcel in entry.parcels:
        shipment_services.shipment_create(
            partnership=partnership,
            by=owner,
            item=parcel.item,
            quantity=parcel.quantity,
            value=Decimal(parcel.value),
            shipping_cost=Decimal(parcel.shipping_cost),
            carrier=parcel.carrier,
            tracking_number=parcel.tracking_number,
            sent_on=day(parcel.sent),
            delivered_on=day(parcel.delivered),
            status=parcel.status,
            review_url=parcel.review_url,
        )
    for paid in entry.payments:
        shipment_services.payment_record(
            partnership=partnership,
            by=owner,
            kind=paid.kind,
            amount=Decimal(paid.amount),
            paid_on=campaign.ends_on + timedelta(days=paid.days_after_end),
            note=paid.note,
        )


def _create(entry: DemoPartnership, owner: User, campaign: Campaign, influencer: Influencer):
    partnership = _start(entry, owner, campaign, influencer)
    _agree_terms(entry, partnership, owner)
    for to_status in PATHS.get(entry.status, []):
        services.partnership_transition(
            partnership=partnership,
            to_status=to_status,
            by=owner,
            reason=CLOSING_REASONS.get(to_status, ""),
        )
    _ship_and_pay(entry, partnership, owner)
    partnership.refresh_from_db()
    if partnership.status != entry.status:
        raise RuntimeError(f"demo {partnership} ended {partnership.status}, not {entry.status}")
    return partnership


def seed_demo(stdout) -> None:
    owner = User.objects.get(email__iexact=OWNER_EMAIL)
    campaigns = {c.utm_campaign: c for c in Campaign.objects.all()}
    influencers = {
        i.email.lower(): i
        for i in Influencer.objects.filter(
            email__in={entry.email for entry in PARTNERSHIPS}
        ).select_related("user")
    }
    existing = set(Partnership.objects.values_list("campaign__utm_campaign", "influencer__email"))
    created = 0
    for entry in PARTNERSHIPS:
        if (entry.campaign, entry.email) in existing:
            continue
        _create(entry, owner, campaigns[entry.campaign], influencers[entry.email])
        created += 1
    stdout.write(f"  partnerships: created {created}, {len(PARTNERSHIPS) - created} already there")
