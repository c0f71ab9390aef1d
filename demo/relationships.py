"""Demo relationship log: contacts, meetings and follow-ups for the partnered influencers.

Written through the relationship services, dated relative to the day of the seed: every
contact is in the past (within the last 90 days), and follow-ups are overdue, due today,
due later or already done, so "My day" has something in each follow-up state. Nurul
Izzah's active cold brew partnership gets no contact in the last three weeks, so it shows
under "Gone quiet". Keyed on the influencer: one that already has contacts logged by the
demo marketer is skipped, so a second run creates nothing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from influencers.models import Influencer
from partnerships.models import Contact
from partnerships.relationships import services

MARKETER, MANAGER = "marketer@example.com", "manager@example.com"
NURUL, JASON = "influencer@example.com", "influencer2@example.com"
SAHUR, RAYA, COLD = "kopikita_sahur_brew", "batikbaru_raya_sedondon", "kopikita_cold_brew_launch"
OFFICE, MERDEKA = "sihatbox_back_to_office", "batikbaru_merdeka_heritage"
HAMPERS = "sihatbox_year_end_hampers"
Kind = Contact.Kind


@dataclass(frozen=True)
class Touch:
    days_ago: int  # at least 1, so the contact is always in the past
    at: str  # local time of day, "HH:MM"
    kind: str
    summary: str
    campaign: str = ""  # links the contact to the influencer's partnership in this campaign
    place: str = ""
    attendees: str = ""


@dataclass(frozen=True)
class ToDo:
    due_in_days: int  # negative: overdue
    what: str
    campaign: str = ""
    assignee: str = MARKETER
    done: bool = False


@dataclass(frozen=True)
class Relationship:
    email: str
    contacts: list[Touch]
    follow_ups: list[ToDo] = field(default_factory=list)


# fmt: off
RELATIONSHIPS = [
    # Nurul's last contact is 24 days ago: her active cold brew partnership has gone quiet.
    Relationship(NURUL, [
        Touch(86, "10:30", Kind.MEETING,
              "Cold brew launch kick-off over kopi ais. Nurul wants the YouTube recipe video "
              "late in the campaign so it doesn't clash with her Raya open-house content. "
              "Agreed on 2 reels, 2 TikToks and 1 YouTube video.",
              COLD, "Kopi Kita HQ, Bangsar", "Nurul Izzah, Aisyah Rahman, Hafiz (Kopi Kita brand)"),
        Touch(62, "21:15", Kind.DM,
              "WhatsApp: confirmed her address in Setapak for the cold brew carton. Asked for "
              "cans without the promo sleeve so the shots look cleaner.", COLD),
        Touch(45, "11:00", Kind.EMAIL,
              "Sent version 2 of the SihatBox office box offer (RM1,100, three stories added). "
              "She'll decide after the school holidays.", OFFICE),
        Touch(24, "15:00", Kind.VIDEO,
              "Google Meet on the first month: 25 orders on NURULCOLD, the affogato reel did "
              "best. YouTube draft promised \"after Merdeka\"; she sounded stretched.", COLD),
    ], [
        ToDo(-3, "Chase Nurul for the cold brew YouTube recipe draft", COLD),
        ToDo(0, "Nudge Nurul on the SihatBox offer (version 2 still unanswered)", OFFICE,
             assignee=MANAGER),
        ToDo(-40, "Send Nurul the cold brew brief and the launch hashtags", COLD, done=True),
    ]),
    Relationship(JASON, [
        Touch(70, "14:00", Kind.CALL,
              "Call about the SihatBox office box: he'll do it if we add two YouTube Shorts "
              "(3 pm slump, before and after). Agreed to revise the fee to RM1,250.", OFFICE),
        Touch(50, "16:30", Kind.MEETING,
              "Teh tarik and roti canai while we walked through the desk-tour idea. He films in "
              "his Tanjung Tokong studio on weekends; wants the box a week before.",
              OFFICE, "Gurney Plaza, Penang", "Jason Lim, Aisyah Rahman"),
        Touch(12, "10:00", Kind.EMAIL,
              "Sent the Cold Brew offer. He'd rather fold it into his editing-setup review than "
              "make a separate video.", COLD),
        Touch(3, "20:45", Kind.DM,
              "Instagram DM: the SihatBox parcel has been sitting at the J&T hub in Prai for "
              "four days. Asked us to chase.", OFFICE),
    ], [
        ToDo(-1, "Chase J&T about Jason's SihatBox parcel stuck in Prai", OFFICE),
        ToDo(4, "Ask Jason for his answer on the Cold Brew offer", COLD),
        ToDo(-60, "Send Jason the revised office box terms (version 2)", OFFICE, done=True),
    ]),
    Relationship("meiling.tan@example.net", [
        Touch(30, "12:30", Kind.MEETING,
              "Lunch at a kopitiam: she wants the cold brew to taste \"kopitiam style, less "
              "sweet\" and would film a side-by-side with kopi peng.",
              COLD, "Lot 10 Hutong, Bukit Bintang", "Mei Ling Tan, Aisyah Rahman"),
        Touch(8, "09:40", Kind.EMAIL,
              "Sent the cold brew offer (RM1,200, code MEILINGCOLD). She's booking December "
              "now, so she needs an answer on dates soon.", COLD),
    ], [
        ToDo(0, "Call Mei Ling about dates before she books December", COLD),
    ]),
    Relationship("darren.khoo@example.net", [
        Touch(55, "17:10", Kind.CALL,
              "Darren declined the cold brew: he's loyal to the Ipoh white coffee roasters he "
              "covers. Open to a roastery collab next year.", COLD),
    ], [
        ToDo(-50, "Send Darren a thank-you note and a carton anyway", COLD, done=True),
        ToDo(60, "Check back with Darren about a roastery collab"),
    ]),
    Relationship("siti.aisyah@example.net", [
        Touch(40, "09:15", Kind.VIDEO,
              "Zoom after the school run: she'd rather show the family box than the office "
              "box, her followers are mostly mums. Asked for more stories, fewer posts.", OFFICE),
        Touch(15, "14:20", Kind.EMAIL,
              "Sent version 3 at RM1,150 with the five-minute lunchbox reel added.", OFFICE),
        Touch(6, "22:05", Kind.DM,
              "Facebook Messenger: she's checking the timing with her husband; school "
              "sports day is the same week.", OFFICE),
    ], [
        ToDo(-5, "Follow up with Siti on version 3 of the SihatBox terms", OFFICE),
    ]),
    Relationship("aiman.hakim@example.net", [
        Touch(35, "07:30", Kind.CALL,
              "Aiman pulled out: hamstring injury three weeks before the Penang Bridge "
              "marathon. Cancelled the office snack partnership, no hard feelings.", OFFICE),
        Touch(34, "10:00", Kind.NOTE,
              "Keep him in mind for run content next year; he's aiming for the KL Marathon."),
    ], [
        ToDo(21, "Check how Aiman's recovery is going", assignee=MANAGER),
    ]),
    Relationship("kavitha.rajan@example.net", [
        Touch(75, "15:00", Kind.MEETING,
              "Went through the heritage prints. She loves the songket-inspired ones and "
              "wants to show a saree-drape twist for Deepavali.",
              MERDEKA, "Batik Baru showroom, Jalan Telawi, Bangsar",
              "Kavitha Rajan, Aisyah Rahman, Mei (Batik Baru design)"),
        Touch(20, "11:45", Kind.EMAIL,
              "Shared draft ideas for Merdeka. Wedding season keeps her busy until the "
              "end of the month.", MERDEKA),
    ], [
        ToDo(-2, "Finish Kavitha's Merdeka terms and propose them", MERDEKA),
    ]),
    Relationship("shermaine.koh@example.net", [
        Touch(28, "16:00", Kind.VIDEO,
              "Teams call with Shermaine's agency in Singapore: rate card confirmed, they want "
              "usage limited to 60 days.", MERDEKA),
        Touch(9, "10:20", Kind.EMAIL,
              "Agency asked to be invoiced in SGD and for 60-day usage in writing.", MERDEKA),
    ], [
        ToDo(-1, "Check with finance whether we can pay Shermaine's agency in SGD", MERDEKA,
             assignee=MANAGER),
        ToDo(0, "Reply to Shermaine's agency about usage rights", MERDEKA),
    ]),
    Relationship("amirah.sofea@example.net", [
        Touch(18, "19:30", Kind.DM,
              "TikTok DM: happy to do an office outfit with one print; she can shoot at "
              "Mid Valley Southkey on a Saturday.", MERDEKA),
    ], [
        ToDo(5, "Send Amirah the Merdeka brief and the draft terms", MERDEKA),
    ]),
    Relationship("joanne.chew@example.net", [
        Touch(65, "11:00", Kind.MEETING,
              "Tasted her grandmother's kuih and talked hampers. Idea: a card with one "
              "family recipe in 100 SihatBox hampers.",
              HAMPERS, "Nyonya cafe on Jonker Street, Melaka",
              "Joanne Chew, her grandmother, Aisyah Rahman"),
        Touch(10, "15:30", Kind.NOTE,
              "Hamper content has to be live before the first week of December, when the "
              "corporate orders come in.", HAMPERS),
    ], [
        ToDo(-20, "Post Joanne a sample hamper", HAMPERS, done=True),
        ToDo(10, "Propose Joanne's hamper terms", HAMPERS),
    ]),
    Relationship("khairul.anuar@example.net", [
        Touch(88, "10:10", Kind.EMAIL,
              "Khairul asked about next Ramadan. He wants three months' lead time this round; "
              "told him we brief in January.", SAHUR),
    ], [
        ToDo(-80, "Send Khairul last year's Sahur Brew results", SAHUR, done=True),
        ToDo(45, "Brief Khairul on the Ramadan plans"),
    ]),
    Relationship("balqis.humaira@example.net", [
        Touch(22, "13:00", Kind.MEETING,
              "Coffee at her favourite refill shop. She'll only write the gifting guide if "
              "the hamper packaging is really plastic-free.",
              HAMPERS, "Kedai Isi Semula, Seksyen 7, Shah Alam", "Balqis Humaira, Aisyah Rahman"),
        Touch(4, "09:50", Kind.EMAIL,
              "Sent version 2 (RM700) with photos of the paper wrap and the kraft box.", HAMPERS),
    ], [
        ToDo(-5, "Send Balqis photos of the plastic-free packaging", HAMPERS, done=True),
        ToDo(3, "Ask Balqis whether version 2 works for her", HAMPERS),
    ]),
]
# fmt: on


def _at(today: date, touch: Touch) -> datetime:
    hour, minute = map(int, touch.at.split(":"))
    return timezone.make_aware(
        datetime.combine(today - timedelta(days=touch.days_ago), time(hour, minute))
    )


def _create(
    entry: Relationship, influencer: Influencer, users: dict[str, User], today: date
) -> tuple[int, int]:
    partnerships = {p.campaign.utm_campaign: p for p in influencer.partnerships.all()}
    marketer = users[MARKETER]
    contact = None
    for touch in sorted(entry.contacts, key=lambda t: -t.days_ago):
        contact = services.contact_log(
            influencer=influencer,
            by=marketer,
            kind=touch.kind,
            summary=touch.summary,
            happened_at=_at(today, touch),
            partnership=partnerships.get(touch.campaign),
            place=touch.place,
            attendees=touch.attendees,
        )
    for todo in entry.follow_ups:
        follow_up = services.follow_up_create(
            influencer=influencer,
            partnership=partnerships.get(todo.campaign),
            contact=contact,
            what=todo.what,
            due_on=today + timedelta(days=todo.due_in_days),
            assignee=users[todo.assignee],
            by=marketer,
        )
        if todo.done:
            services.follow_up_complete(follow_up=follow_up, by=users[todo.assignee])
    return len(entry.contacts), len(entry.follow_ups)


def seed_demo(stdout) -> None:
    users = {u.email.lower(): u for u in User.objects.filter(email__in=[MARKETER, MANAGER])}
    today = timezone.localdate()
    influencers = {
        i.email.lower(): i
        for i in Influencer.objects.filter(
            email__in=[e.email for e in RELATIONSHIPS]
        ).prefetch_related("partnerships__campaign")
    }
    logged = set(
        Contact.objects.filter(logged_by=users[MARKETER]).values_list("influencer_id", flat=True)
    )
    contacts = follow_ups = skipped = 0
    for entry in RELATIONSHIPS:
        influencer = influencers.get(entry.email)
        if influencer is None or influencer.pk in logged:
            skipped += 1
            continue
        made_contacts, made_follow_ups = _create(entry, influencer, users, today)
        contacts += made_contacts
        follow_ups += made_follow_ups
    stdout.write(
        f"  relationship log: created {contacts} contacts and {follow_ups} follow-ups, "
        f"{skipped} influencers already logged"
    )
