import datetime
from decimal import Decimal

import factory

from accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    role = User.Role.MANAGER
    password = factory.django.Password(PASSWORD)


class InfluencerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "influencers.Influencer"

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"creator{n}@inbox.test")
    country = "Malaysia"
    city = "Kuala Lumpur"
    niches = factory.LazyFunction(lambda: ["food"])
    languages = factory.LazyFunction(lambda: ["malay", "english"])


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "influencers.Channel"

    influencer = factory.SubFactory(InfluencerFactory)
    platform = "instagram"
    handle = factory.Sequence(lambda n: f"creator_{n}")
    profile_url = factory.LazyAttribute(lambda c: f"https://www.instagram.com/{c.handle}/")
    followers = 12_000
    followers_as_of = factory.Faker("date_this_year")


def complete_research(influencer, by=None):
    from influencers.models import ResearchItem
    from influencers.services import research_update

    research_update(
        influencer=influencer,
        by=by,
        answers={item: (True, f"checked {item}") for item in ResearchItem.values},
    )


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Campaign"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Campaign {n}")
    brand = "Kopi Kita"
    starts_on = datetime.date(2026, 12, 1)
    ends_on = datetime.date(2027, 1, 31)
    budget = Decimal("20000.00")
    currency = "MYR"
    utm_campaign = factory.Sequence(lambda n: f"campaign_{n}")

    @factory.post_generation
    def default_terms(campaign, create, extracted, **kwargs):
        """Every campaign has its default terms row, as campaign_create makes it."""
        if create:
            from campaigns.models import DefaultTerms

            DefaultTerms.objects.create(campaign=campaign, **(extracted or {}))


def make_partnership(*, by, campaign=None, influencer=None, channel=None):
    """A draft partnership whose v1 has one deliverable, a cash fee and a KPI."""
    from partnerships import services
    from partnerships.terms import services as terms_services

    campaign = campaign or CampaignFactory()
    if channel is None:
        channel = ChannelFactory(influencer=influencer) if influencer else ChannelFactory()
    partnership = services.partnership_create(
        campaign=campaign, influencer=channel.influencer, by=by
    )
    terms_services.terms_save(
        version=partnership.versions.get(),
        by=by,
        data=terms_services.TermsInput(
            fields={"brief_must_haves": ["Say it is Kopi Kita", "#ad"]},
            deliverables=[
                {
                    "channel": channel,
                    "format": "reel",
                    "quantity": 2,
                    "due_on": datetime.date(2026, 12, 15),
                    "requirements": "Show the cup",
                }
            ],
            compensation=[{"kind": "cash", "amount": Decimal("1500.00"), "currency": "MYR"}],
            kpis=[
                {
                    "metric": "sessions",
                    "target": 2000,
                    "bonus_tiers": [{"threshold": 3000, "amount": "300.00"}],
                }
            ],
        ),
    )
    return partnership


KPI_TIERS = [{"threshold": 150, "amount": "100.00"}, {"threshold": 300, "amount": "250.50"}]
EVERY_KPI = [
    {"metric": "posts_published", "target": 2, "bonus_tiers": []},
    {"metric": "link_clicks", "target": 100, "bonus_tiers": KPI_TIERS},
    {"metric": "sessions", "target": 40, "bonus_tiers": []},
    {"metric": "conversions", "target": 10, "bonus_tiers": []},
    {"metric": "views", "target": 1000, "bonus_tiers": []},
    {"metric": "engagements", "target": 50, "bonus_tiers": []},
]


CASH_FEE = [{"kind": "cash", "amount": Decimal("1500.00"), "currency": "MYR"}]


def make_accepted_partnership(
    marketer, user, name, *, kpis=None, compensation=None, fields=None, campaign=None,
    quantity=2,
):  # fmt: skip
    """A partnership whose v1 (one reel deliverable; by default a MYR 1,500 fee and every
    KPI) the influencer `user` accepted."""
    from partnerships.terms import services as terms_services

    channel = ChannelFactory(influencer__name=name, influencer__user=user)
    partnership = make_partnership(by=marketer, channel=channel, campaign=campaign)
    version = partnership.versions.get()
    terms_services.terms_save(
        version=version,
        by=marketer,
        data=terms_services.TermsInput(
            fields=fields or {},
            deliverables=[
                {
                    "channel": channel,
                    "format": "reel",
                    "quantity": quantity,
                    "due_on": datetime.date(2026, 12, 15),
                    "requirements": "Show the cup",
                }
            ],
            compensation=CASH_FEE if compensation is None else compensation,
            kpis=EVERY_KPI if kpis is None else kpis,
        ),
    )
    terms_services.terms_propose(version=version, by=marketer)
    terms_services.terms_accept(version=version, by=user, ip=None, user_agent="")
    partnership.refresh_from_db()
    return partnership
