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
