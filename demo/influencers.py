"""Demo roster: about forty influencers across every stage and platform.

Everything is written through the services, so the demo has the same stage history
and research records real use would. Keyed on the influencer's email: a second run
creates nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from influencers import services
from influencers.models import Influencer, ResearchItem, Stage

OWNER_EMAIL = "marketer@example.com"

# The order a real deal moves through; declined branches off after the pitch.
PIPELINE = [Stage.RESEARCHED, Stage.PITCHED, Stage.NEGOTIATING, Stage.ACTIVE, Stage.ALUMNI]


@dataclass(frozen=True)
class DemoInfluencer:
    name: str
    email: str
    country: str
    city: str
    languages: str
    niches: str
    stage: str
    channels: list[tuple[str, str, int]]
    bio: str
    notes: str = ""
    portal: bool = False  # link to the accounts.demo user with the same email


MY, SG, ID, TH, PH = "Malaysia", "Singapore", "Indonesia", "Thailand", "Philippines"
AU, UK = "Australia", "United Kingdom"

# A data table: one influencer per block reads better than one argument per line.
# fmt: off
ROSTER = [
    # The two portal logins (accounts.demo creates their users).
    DemoInfluencer(
        "Nurul Izzah", "influencer@example.com", MY, "Kuala Lumpur", "malay, english",
        "food, halal, home cooking", Stage.ACTIVE,
        [("instagram", "nurul.eats", 48_200), ("tiktok", "nurul.eats", 91_500),
         ("youtube", "nuruleats", 12_300)],
        "Home cook sharing quick halal weeknight recipes and KL hawker finds.",
        notes="Prefers WhatsApp over email. Ramadan content is booked up early.", portal=True,
    ),
    DemoInfluencer(
        "Jason Lim", "influencer2@example.com", MY, "Penang", "english, mandarin, hokkien",
        "tech, gadgets, productivity", Stage.ACTIVE,
        [("youtube", "jasonlimtech", 64_800), ("instagram", "jasonlim.tech", 22_100),
         ("x", "jasonlimtech", 8_400)],
        "Honest phone and laptop reviews from Penang, in English with Mandarin subtitles.",
        portal=True,
    ),
    # Malaysia
    DemoInfluencer(
        "Aiman Hakim", "aiman.hakim@example.net", MY, "Petaling Jaya", "malay, english",
        "fitness, running", Stage.NEGOTIATING,
        [("instagram", "aimanruns", 27_400), ("tiktok", "aiman.runs", 41_000)],
        "Weekend marathoner, weekday office worker. Couch-to-10k plans in Bahasa.",
    ),
    DemoInfluencer(
        "Siti Aisyah Rahim", "siti.aisyah@example.net", MY, "Shah Alam", "malay",
        "parenting, family, education", Stage.ACTIVE,
        [("facebook", "ummiaisyah.diaries", 86_000), ("instagram", "ummi.aisyah", 33_500)],
        "Mother of three writing about raising kids on a budget in the Klang Valley.",
    ),
    DemoInfluencer(
        "Farah Nabila", "farah.nabila@example.net", MY, "Kuala Lumpur", "malay, english",
        "beauty, skincare, modest fashion", Stage.PITCHED,
        [("tiktok", "farahnabila.glow", 152_000), ("instagram", "farahnabila", 64_300)],
        "Skincare for humid weather and tudung styling tutorials.",
    ),
    DemoInfluencer(
        "Hafiz Zulkifli", "hafiz.z@example.net", MY, "Kuantan", "malay",
        "fishing, outdoors, travel", Stage.PROSPECT,
        [("youtube", "hafizpancing", 23_900)],
        "East-coast fishing trips and kampung cooking by the boat.",
    ),
    DemoInfluencer(
        "Amirah Sofea", "amirah.sofea@example.net", MY, "Johor Bahru", "malay, english",
        "fashion, lifestyle", Stage.RESEARCHED,
        [("instagram", "amirahsofea", 18_700), ("tiktok", "amirahsofea.ootd", 9_600)],
        "Everyday outfits from JB, often with a Singapore day trip thrown in.",
    ),
    DemoInfluencer(
        "Khairul Anuar", "khairul.anuar@example.net", MY, "Ipoh", "malay, english",
        "food, travel", Stage.ALUMNI,
        [("youtube", "jalanjalankhairul", 71_200), ("facebook", "jalanjalankhairul", 40_300)],
        "Road trips up the North-South Highway, one small-town breakfast at a time.",
        notes="Great Hari Raya campaign in 2024; wants longer lead times next round.",
    ),
    DemoInfluencer(
        "Nadia Iskandar", "nadia.iskandar@example.net", MY, "Kuala Lumpur", "malay, english",
        "finance, careers", Stage.PITCHED,
        [("x", "nadiaduit", 15_800), ("newsletter", "duitnadia.example/newsletter", 6_200)],
        "Money tips for first-jobbers: EPF, ASB and budgeting without the jargon.",
    ),
    DemoInfluencer(
        "Syafiq Razak", "syafiq.razak@example.net", MY, "Kuala Terengganu", "malay",
        "gaming, esports", Stage.DECLINED,
        [("tiktok", "syafiqplays", 58_000), ("youtube", "syafiqplays", 34_700)],
        "Mobile Legends highlights and late-night streams.",
        notes="Declined: exclusive deal with a telco until end of year.",
    ),
    DemoInfluencer(
        "Zara Adlina", "zara.adlina@example.net", MY, "Kota Bharu", "malay",
        "food, baking", Stage.PROSPECT,
        [("instagram", "zarabakes.kb", 4_300)],
        "Kuih and layer cakes from a home kitchen in Kelantan.",
    ),
    DemoInfluencer(
        "Izzat Danial", "izzat.danial@example.net", MY, "Johor Bahru", "malay, english",
        "cars, tech", Stage.RESEARCHED,
        [("youtube", "izzatdrives", 118_000), ("instagram", "izzat.drives", 26_900)],
        "Car reviews for Malaysian roads, from Myvi to EVs.",
    ),
    DemoInfluencer(
        "Balqis Humaira", "balqis.humaira@example.net", MY, "Shah Alam", "malay, english",
        "sustainability, lifestyle", Stage.NEGOTIATING,
        [("instagram", "balqis.zerowaste", 12_400), ("blog", "balqishijau.example", 3_100)],
        "Low-waste living in a Malaysian flat: refill shops, composting, thrift finds.",
    ),
    DemoInfluencer(
        "Mei Ling Tan", "meiling.tan@example.net", MY, "Kuala Lumpur",
        "english, mandarin, cantonese", "food, cafes", Stage.ACTIVE,
        [("instagram", "makanwithmeiling", 39_600), ("tiktok", "makanwithmeiling", 57_200)],
        "Cafe hopping around the Klang Valley; weekend dim sum and kopitiam reviews.",
    ),
    DemoInfluencer(
        "Chloe Wong", "chloe.wong@example.net", MY, "Kota Kinabalu", "english, mandarin",
        "travel, diving, outdoors", Stage.PITCHED,
        [("instagram", "chloe.underwater", 29_800), ("youtube", "chloewongdives", 7_900)],
        "Diving Sipadan and hiking Kinabalu; Sabah travel guides.",
    ),
    DemoInfluencer(
        "Kenneth Ong", "kenneth.ong@example.net", MY, "Petaling Jaya", "english, mandarin",
        "finance, investing", Stage.RESEARCHED,
        [("podcast", "duitdiscussions.example", 11_000), ("x", "kennethong_my", 19_300)],
        "Podcast on investing in Bursa and beyond, for people with day jobs.",
    ),
    DemoInfluencer(
        "Joanne Chew", "joanne.chew@example.net", MY, "Melaka", "english, mandarin, hokkien",
        "food, heritage, travel", Stage.ALUMNI,
        [("instagram", "joannechew.eats", 21_500), ("blog", "nyonyakitchen.example", 5_800)],
        "Peranakan recipes from her grandmother's notebook, and Melaka walking tours.",
    ),
    DemoInfluencer(
        "Wei Jie Lee", "weijie.lee@example.net", MY, "Kuala Lumpur", "english, mandarin",
        "gaming, tech", Stage.PROSPECT,
        [("tiktok", "weijieplays", 2_800)],
        "PC builds on a budget and indie game first looks.",
    ),
    DemoInfluencer(
        "Rachel Goh", "rachel.goh@example.net", MY, "Penang", "english, mandarin",
        "beauty, skincare", Stage.NEGOTIATING,
        [("instagram", "rachelgoh.skin", 45_100), ("tiktok", "rachelgoh.skin", 78_300),
         ("youtube", "rachelgohskin", 16_200)],
        "Ingredient-first skincare reviews, no sponsored hype.",
        notes="Asks for full ingredient lists before agreeing to review anything.",
    ),
    DemoInfluencer(
        "Darren Khoo", "darren.khoo@example.net", MY, "Ipoh", "english, cantonese",
        "coffee, food", Stage.DECLINED,
        [("instagram", "darrenkhoo.kopi", 13_900)],
        "White coffee, roasteries and old-town Ipoh breakfasts.",
    ),
    DemoInfluencer(
        "Ivy Lau", "ivy.lau@example.net", MY, "Kuching", "english, mandarin",
        "parenting, education", Stage.PROSPECT,
        [("facebook", "ivylau.mamalearns", 9_200), ("instagram", "mamalearns.ivy", 6_700)],
        "Montessori-at-home activities with everyday things.",
    ),
    DemoInfluencer(
        "Kavitha Rajan", "kavitha.rajan@example.net", MY, "Klang", "tamil, english, malay",
        "fashion, weddings", Stage.ACTIVE,
        [("instagram", "kavitharajan.style", 52_700), ("tiktok", "kavitha.styles", 34_100)],
        "Saree draping, Deepavali looks and wedding season styling.",
    ),
    DemoInfluencer(
        "Arjun Pillai", "arjun.pillai@example.net", MY, "Petaling Jaya", "english, tamil",
        "tech, startups", Stage.PITCHED,
        [("x", "arjunbuilds", 24_600), ("newsletter", "arjunbuilds.example/weekly", 8_900)],
        "Weekly newsletter on Southeast Asian startups and the tools they run on.",
    ),
    DemoInfluencer(
        "Deepa Menon", "deepa.menon@example.net", MY, "Seremban", "english, malayalam, malay",
        "fitness, yoga, wellness", Stage.RESEARCHED,
        [("instagram", "deepa.yogaflow", 17_300), ("youtube", "deepayogaflow", 11_800)],
        "Gentle yoga for desk workers and new mums.",
    ),
    DemoInfluencer(
        "Vikram Selvaraj", "vikram.selvaraj@example.net", MY, "Penang", "tamil, english",
        "food, street food", Stage.PROSPECT,
        [("tiktok", "vikrameatspenang", 66_400)],
        "Nasi kandar rankings and Little India food crawls in George Town.",
    ),
    DemoInfluencer(
        "Shalini Krishnan", "shalini.k@example.net", MY, "Kuala Lumpur", "english, tamil",
        "books, education", Stage.ALUMNI,
        [("instagram", "shalinireads", 8_100), ("blog", "shalinireads.example", 2_400)],
        "Malaysian and South Asian fiction, with a monthly online book club.",
    ),
    DemoInfluencer(
        "Thivya Ramasamy", "thivya.r@example.net", MY, "Melaka", "tamil, english, malay",
        "beauty, makeup", Stage.NEGOTIATING,
        [("tiktok", "thivyaglam", 88_700), ("instagram", "thivya.glam", 31_200)],
        "Makeup for deeper skin tones; shade-matching tests under Malaysian light.",
    ),
    DemoInfluencer(
        "Ganesh Muthu", "ganesh.muthu@example.net", MY, "Ipoh", "tamil, malay, english",
        "fitness, football", Stage.PROSPECT,
        [("youtube", "ganeshfootballskills", 5_400)],
        "Futsal drills and grassroots football coaching.",
    ),
    DemoInfluencer(
        "Jessica Jimbun", "jessica.jimbun@example.net", MY, "Kuching", "english, malay, iban",
        "travel, culture, crafts", Stage.PITCHED,
        [("instagram", "jessjimbun", 14_600), ("facebook", "jessicajimbun.borneo", 9_800)],
        "Longhouse stays, pua kumbu weaving and Sarawak food trails.",
    ),
    DemoInfluencer(
        "Aloysius Gimbang", "aloysius.g@example.net", MY, "Kota Kinabalu",
        "english, malay, kadazan", "outdoors, hiking, sustainability", Stage.RESEARCHED,
        [("youtube", "borneotrailsaloy", 21_400)],
        "Trail guides across Sabah and stories from community tourism projects.",
    ),
    # International
    DemoInfluencer(
        "Shermaine Koh", "shermaine.koh@example.net", SG, "Singapore", "english, mandarin",
        "fashion, lifestyle", Stage.ACTIVE,
        [("instagram", "shermainekoh", 212_000), ("tiktok", "shermaine.koh", 146_000)],
        "Capsule wardrobes and hawker-centre date ideas.",
        notes="Mid-tier rate card; books through her agency (contact in shared drive).",
    ),
    DemoInfluencer(
        "Marcus Teo", "marcus.teo@example.net", SG, "Singapore", "english",
        "finance, tech", Stage.PROSPECT,
        [("podcast", "moneymarcus.example/podcast", 14_900), ("x", "marcusteo_sg", 32_000)],
        "Podcast about CPF, robo-advisors and tech careers.",
    ),
    DemoInfluencer(
        "Putri Ayuningtyas", "putri.ayu@example.net", ID, "Jakarta", "bahasa indonesia, english",
        "beauty, skincare", Stage.NEGOTIATING,
        [("tiktok", "putriayu.beauty", 640_000), ("instagram", "putriayuningtyas", 287_000)],
        "Indonesian skincare and local-brand hauls.",
        notes="Macro reach, priced accordingly. Legal to check Indonesian ad disclosure rules.",
    ),
    DemoInfluencer(
        "Rizky Pratama", "rizky.pratama@example.net", ID, "Bandung", "bahasa indonesia",
        "coffee, food", Stage.DECLINED,
        [("instagram", "rizkyngopi", 24_300), ("youtube", "rizkyngopi", 9_100)],
        "Specialty coffee from West Java, from farm to V60.",
    ),
    DemoInfluencer(
        "Pimchanok Srisuk", "pim.srisuk@example.net", TH, "Bangkok", "thai, english",
        "food, travel", Stage.RESEARCHED,
        [("tiktok", "pimeatsbkk", 73_800), ("instagram", "pim.eats.bkk", 28_400)],
        "Bangkok street food and day trips by train.",
    ),
    DemoInfluencer(
        "Bea Santos", "bea.santos@example.net", PH, "Manila", "filipino, english",
        "parenting, lifestyle", Stage.PITCHED,
        [("facebook", "momlifewithbea", 124_000), ("instagram", "beasantos.momlife", 38_900)],
        "Working-mum life in Metro Manila: routines, baon ideas, small wins.",
    ),
    DemoInfluencer(
        "Paolo Reyes", "paolo.reyes@example.net", PH, "Cebu", "filipino, cebuano, english",
        "travel, diving", Stage.ALUMNI,
        [("youtube", "paoloexplores", 46_500)],
        "Island-hopping guides across the Visayas.",
    ),
    DemoInfluencer(
        "Olivia Nguyen", "olivia.nguyen@example.net", AU, "Melbourne", "english, vietnamese",
        "sustainability, fashion", Stage.PROSPECT,
        [("instagram", "olivia.slowfashion", 19_800),
         ("newsletter", "slowfashionnotes.example", 4_700)],
        "Slow fashion, repairs and second-hand finds in Melbourne.",
    ),
    DemoInfluencer(
        "Hannah Patel", "hannah.patel@example.net", UK, "London", "english, gujarati",
        "food, vegetarian", Stage.DECLINED,
        [("instagram", "hannahcooksveg", 57_600), ("blog", "hannahcooksveg.example", 12_300)],
        "Vegetarian Gujarati recipes for busy London weeknights.",
        notes="Declined on timing, open to Q3. Follow up in the new year.",
    ),
    DemoInfluencer(
        "Tom Fletcher", "tom.fletcher@example.net", UK, "Manchester", "english",
        "gaming, tech", Stage.RESEARCHED,
        [("youtube", "tomplaysretro", 93_000), ("x", "tomplaysretro", 11_200)],
        "Retro consoles restored and played, with a soft spot for handhelds.",
    ),
]
# fmt: on


def _stages_to(stage: str) -> list[str]:
    if stage == Stage.PROSPECT:
        return []
    if stage == Stage.DECLINED:
        return [Stage.RESEARCHED, Stage.PITCHED, Stage.DECLINED]
    return PIPELINE[: PIPELINE.index(stage) + 1]


def _research_answers(entry: DemoInfluencer) -> dict[str, tuple[bool, str]]:
    niche = entry.niches.split(",")[0].strip()
    place = entry.city or entry.country
    return {
        ResearchItem.AUDIENCE_FIT: (True, f"Mostly 18–34, around {place}, into {niche}."),
        ResearchItem.ENGAGEMENT_QUALITY: (True, "Comments read as real; saves and shares high."),
        ResearchItem.PAST_BRAND_WORK: (True, "A few local brands, disclosed properly."),
        ResearchItem.STYLE_AND_VALUES: (True, "Warm, practical tone that suits the brand."),
        ResearchItem.RED_FLAGS: (True, "None found in the last two years of posts."),
    }


def _link_portal_user(influencer: Influencer) -> None:
    user = User.objects.filter(email__iexact=influencer.email).first()
    if user is None or influencer.user_id is not None:
        return
    if Influencer.objects.filter(user=user).exists():
        return  # that login already belongs to someone else on the roster
    influencer.user = user
    influencer.save(update_fields=["user"])


def _create(entry: DemoInfluencer, owner: User, counted_on) -> Influencer:
    influencer = services.influencer_create(
        by=owner,
        owner=owner,
        name=entry.name,
        email=entry.email,
        country=entry.country,
        city=entry.city,
        languages=[language.strip().title() for language in entry.languages.split(",")],
        niches=entry.niches.split(","),
        bio=entry.bio,
        internal_notes=entry.notes,
    )
    for platform, handle, followers in entry.channels:
        services.channel_add(
            influencer=influencer,
            platform=platform,
            handle=handle,
            followers=followers,
            followers_as_of=counted_on,
        )
    if entry.stage != Stage.PROSPECT:
        services.research_update(influencer=influencer, by=owner, answers=_research_answers(entry))
    for stage in _stages_to(entry.stage):
        influencer = services.influencer_move_stage(influencer=influencer, to_stage=stage, by=owner)
    return influencer


def seed_demo(stdout) -> None:
    owner = User.objects.get(email__iexact=OWNER_EMAIL)
    today = timezone.localdate()
    created = 0
    for index, entry in enumerate(ROSTER):
        influencer = Influencer.objects.filter(email__iexact=entry.email).first()
        if influencer is None:
            counted_on = today - timedelta(days=(index * 7) % 30)
            influencer = _create(entry, owner, counted_on)
            created += 1
        if entry.portal:
            _link_portal_user(influencer)
    stdout.write(f"  influencers: created {created}, {len(ROSTER) - created} already there")
