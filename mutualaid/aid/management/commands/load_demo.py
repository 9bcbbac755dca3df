"""Load a demo neighborhood network: areas, members, needs and offers with real timelines.

`make demo` runs this after `migrate`. Every need, offer, claim and message is written by the
services in aid/services.py, exactly as the site writes them, while the clock is set back to the
moment each thing "happened" over the last three weeks; the nightly jobs (expiry, auto-confirmation)
run at their hour in that replayed past too. So every age, status and timeline is one the real code
could have produced.

The network is the same on every run (a seeded random), all of it is loaded in one transaction, and
a second run sees the demo is there, changes nothing and prints the logins again.
"""

import random
from contextlib import ExitStack, contextmanager
from datetime import datetime, time, timedelta
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.aid import services
from mutualaid.aid.models import (
    Category,
    ContactKind,
    Need,
    Offer,
    OfferKind,
    Urgency,
    Visibility,
)
from mutualaid.areas.models import Area
from mutualaid.trust.models import Level, Role, RoleGrant

SENSITIVE = {"funds", "housing", "prescriptions"}
PASSWORD = "demo-password-1"  # noqa: S105 (a demo login, printed on purpose)
URL = "http://127.0.0.1:8000/"
SEED = 2024
# How far back the replayed past goes; no need is older than this.
HISTORY = timedelta(days=21)

LOGINS = [
    ("requester", "needs in every state: one claimed (with messages), one awaiting your OK"),
    ("volunteer", "claims in several states, and open needs in Harbor Flats to take on"),
    ("organizer", "an organizer: every need, offer, private detail and timeline"),
]

# --- The neighborhood ---------------------------------------------------------------------------

DISTRICT = "Riverside district"
AREAS = [  # name, parent
    (DISTRICT, None),
    ("Mill Quarter", DISTRICT),
    ("Harbor Flats", DISTRICT),
    ("Willow Bend", DISTRICT),
    ("Old Town", None),
    ("Elm Park", None),
    ("Northgate", None),
    ("Cedar Heights", None),
    ("Station Hill", None),
]
BORDERS = [
    ("Mill Quarter", "Harbor Flats"),
    ("Mill Quarter", "Willow Bend"),
    ("Mill Quarter", "Old Town"),
    ("Harbor Flats", "Willow Bend"),
    ("Willow Bend", "Station Hill"),
    ("Old Town", "Elm Park"),
    ("Old Town", "Station Hill"),
    ("Elm Park", "Northgate"),
    ("Northgate", "Cedar Heights"),
    ("Cedar Heights", "Station Hill"),
    # The district as a whole, for those who would rather not say which part of it they live in.
    (DISTRICT, "Old Town"),
    (DISTRICT, "Station Hill"),
]

ASKS, HELPS, BOTH, ORGANIZER = "asks", "helps", "both", "organizer"
ORGANIZER_ROLES = {
    "organizer": Role.ADMIN,
    "dispatch.dee": Role.DISPATCHER,
    "triage.tam": Role.TRIAGER,
}
MEMBERS = [  # handle, home area, what they mostly do
    ("requester", "Mill Quarter", ASKS),
    ("volunteer", "Harbor Flats", HELPS),
    ("organizer", "Old Town", ORGANIZER),
    ("dispatch.dee", "Old Town", ORGANIZER),
    ("triage.tam", "Elm Park", ORGANIZER),
    ("maple.fox", "Mill Quarter", ASKS),
    ("quiet_heron", "Mill Quarter", ASKS),
    ("nightshift-nurse", "Mill Quarter", ASKS),
    ("tomas.b", "Mill Quarter", BOTH),
    ("harbor.hen", "Harbor Flats", ASKS),
    ("tidewater_tess", "Harbor Flats", ASKS),
    ("dockside_dan", "Harbor Flats", HELPS),
    ("rooftop-gardener", "Harbor Flats", HELPS),
    ("soup.kitchen.sid", "Harbor Flats", HELPS),
    ("willow.wren", "Willow Bend", ASKS),
    ("grandma_june", "Willow Bend", ASKS),
    ("bike-lady", "Willow Bend", HELPS),
    ("kettle.on", "Willow Bend", HELPS),
    ("bookbinder", "Old Town", HELPS),
    ("lantern_lu", "Old Town", BOTH),
    ("elm.ash", "Elm Park", HELPS),
    ("parkbench_pat", "Elm Park", ASKS),
    ("two.left.feet", "Elm Park", HELPS),
    ("sunny-side", "Elm Park", BOTH),
    ("north.star", "Northgate", HELPS),
    ("noodle.soup", "Northgate", ASKS),
    ("northgate_nia", "Northgate", ASKS),
    ("frost-fern", "Northgate", HELPS),
    ("mutual_mo", "Northgate", ASKS),
    ("cedar.sam", "Cedar Heights", HELPS),
    ("hilltop_hal", "Cedar Heights", HELPS),
    ("moth-and-rust", "Cedar Heights", ASKS),
    ("pine.cone", "Cedar Heights", ASKS),
    ("night.bus", "Station Hill", ASKS),
    ("late.train", "Station Hill", ASKS),
    ("platform9", "Station Hill", HELPS),
    ("station.sal", "Station Hill", HELPS),
    ("riverside.rita", DISTRICT, ASKS),
]

# --- What neighbors ask for: category, urgency, public summary, private details -------------------
# Summaries never hold a phone number, an email or a street address; an address, if any, is only
# ever "shared by message".

TODAY, SOON, WEEK, ANYTIME = Urgency.TODAY, Urgency.SOON, Urgency.WEEK, Urgency.ANYTIME
NEEDS = [
    ("groceries", SOON, "Weekly shop for two adults, one with a broken wrist",
     "Short list: bread, milk, eggs, apples, oat milk. I'll pay you back on the doorstep."),
    ("groceries", TODAY, "Baby formula and diapers (size 4) to get us to payday",
     "Any brand of formula is fine as long as it's stage 1."),
    ("groceries", WEEK, "Halal groceries for a family of five this week",
     "Rice, lentils, chicken, flatbread. The shop on the corner of the market does it all."),
    ("groceries", WEEK, "Gluten-free basics: I'm coeliac and the corner shop has nothing",
     "Bread, pasta and crackers. Happy to pay, I just can't get there."),
    ("groceries", SOON, "Fruit and veg for an elderly neighbor who can't carry bags",
     "She likes bananas, soft pears and carrots. She's hard of hearing, so knock loudly."),
    ("groceries", SOON, "Diabetic-friendly food for the week after a hospital stay",
     "The dietitian's list is in my hand; I'll send a photo of it by message."),
    ("groceries", WEEK, "Tinned food and rice to tide us over: my hours were cut",
     "Two adults and a teenager. Anything long-life helps."),
    ("groceries", SOON, "Cat food and litter while I'm stuck at home with flu",
     "Dry food for an old cat, any brand. Leave it by the door, I don't want to pass this on."),
    ("groceries", WEEK, "Collect a food bank parcel for me on Thursday",
     "I have the voucher and will hand it over when we meet."),
    ("groceries", TODAY, "Carry shopping up four flights: the lift is out again",
     "I'll do the shop myself; I just can't manage the stairs with the bags."),
    ("rides", SOON, "Ride to a dialysis appointment, Tuesday morning",
     "I need to be there by 8. The session is four hours; a ride home would be a bonus."),
    ("rides", WEEK, "Lift to the hospital for a scan; I can't drive after it",
     "The scan is on Thursday morning. I'll be sleepy, so door to door would be best."),
    ("rides", SOON, "Ride to a job interview across town",
     "Interview is at 10. I'll be in my one good suit, so no bikes please!"),
    ("rides", ANYTIME, "Move a few boxes by car (a small hatchback is enough)",
     "Six boxes and a lamp, going about ten minutes away."),
    ("rides", TODAY, "Ride to the vet with an old dog who can't walk far",
     "He's 14 and gentle, about 20 kilos. I'll bring a blanket for your seat."),
    ("rides", WEEK, "School run for two kids while my car is in the garage",
     "Three mornings next week. Both have their own booster seats."),
    ("rides", WEEK, "Lift to the immigration office with my documents",
     "I'd also be grateful for company in the waiting room; it takes hours."),
    ("rides", SOON, "Wheelchair-accessible ride to a family funeral",
     "A folding wheelchair; I can transfer to a car seat with a little help."),
    ("rides", SOON, "Ride home from day surgery (I'll be groggy)",
     "They won't discharge me without someone to take me home."),
    ("rides", ANYTIME, "Trip to the big supermarket once a month; I'm on crutches",
     "I'd do my own shopping, I just need the lift and a hand with the trolley."),
    ("childcare", SOON, "Sit with my 6-year-old for two hours during a medical appointment",
     "She loves drawing and dinosaurs. Happy to do it at your place or mine."),
    ("childcare", WEEK, "After-school pickup for a 9-year-old on Wednesdays",
     "School lets out at 3:15; he'd need walking home, about fifteen minutes."),
    ("childcare", WEEK, "Babysitting one evening so I can get to a night class",
     "Thursday 6 to 9. Two kids, both in bed by eight."),
    ("childcare", TODAY, "Short notice: someone to watch my toddler this afternoon",
     "I've been called in to work. She naps from one to three."),
    ("childcare", ANYTIME, "Homework help for a 12-year-old struggling with maths",
     "Fractions and percentages. An hour a week would make a real difference."),
    ("childcare", ANYTIME, "Childcare swap: I can return the favour on weekends",
     "I have a 5-year-old; looking for one weekday evening in exchange."),
    ("childcare", SOON, "Walk two kids to school for a week while I recover",
     "Broken ankle. School starts at 8:45, it's a ten-minute walk."),
    ("childcare", WEEK, "Look after a baby for one morning while I go to court",
     "He's 8 months, bottle-fed. I'll bring everything he needs."),
    ("childcare", ANYTIME, "Playdate buddy for a shy 7-year-old new to the area",
     "We moved here last month and she misses her friends."),
    ("childcare", WEEK, "Cover the nursery gap: two days next week",
     "Monday and Tuesday, 9 to 3. The nursery reopens on Wednesday."),
    ("prescriptions", SOON, "Collect a repeat prescription from the pharmacy by the station",
     "It's ready from tomorrow; I'll message you my name and date of birth for the counter."),
    ("prescriptions", TODAY, "Insulin pickup today: I'm self-isolating",
     "The pharmacy has it waiting. Please leave it in the bag on the door handle."),
    ("prescriptions", SOON, "Pick up my mum's heart medication; she's housebound",
     "I live two hours away. She knows someone might come and will be expecting you."),
    ("prescriptions", TODAY, "Inhaler refill for my son; the pharmacy closes at six",
     "He's fine for now but we're on the last one."),
    ("prescriptions", WEEK, "Help paying for a prescription this month",
     "It's for blood pressure tablets; the cost jumped and I can't cover it until the 1st."),
    ("prescriptions", TODAY, "Pick up antibiotics after a doctor's visit; I'm running a fever",
     "Already paid for. I'll message the collection details."),
    ("prescriptions", WEEK, "Monthly blister packs for a neighbor with dementia",
     "Her daughter has arranged it with the pharmacy; they just need collecting."),
    ("prescriptions", ANYTIME, "Take old medicines back to the pharmacy for safe disposal",
     "A shoebox of my late husband's medicines. I don't want them in the house."),
    ("prescriptions", SOON, "Collect eye drops after cataract surgery",
     "I can't see well enough to get there yet."),
    ("prescriptions", WEEK, "Someone to go with me to the pharmacy; I get anxious in queues",
     "Just company. I'll do the talking if you can stand beside me."),
    ("funds", SOON, "Short $40 on the electric bill until payday",
     "Payday is Friday. I can pay it forward later in the month."),
    ("funds", WEEK, "Bus pass for the month so I can get to my new job",
     "Started at the warehouse last week; first paycheck is in three weeks."),
    ("funds", WEEK, "Help with a school trip fee for my daughter",
     "It's $35 and she's the only one in her class who hasn't paid."),
    ("funds", ANYTIME, "Laundromat money for a few weeks while our washer is broken",
     "Family of four. The repair is booked but not until next month."),
    ("funds", WEEK, "Security deposit: I'm $150 short on a new apartment",
     "The new place is much safer for us. The landlord needs it by the end of the week."),
    ("funds", SOON, "Flowers for my grandmother's funeral; money is tight",
     "Nothing fancy. It would mean a lot to the family."),
    ("funds", SOON, "Gas money to visit my husband in the hospital two towns over",
     "Three round trips this week if possible."),
    ("funds", WEEK, "Work boots for a new warehouse job (size 10)",
     "Steel toe caps required. Second-hand is absolutely fine."),
    ("funds", SOON, "Help with a late fee on the water bill",
     "They've threatened to cut us off. The fee is $60."),
    ("funds", ANYTIME, "Winter coats for two growing kids",
     "Ages 8 and 11. Money or coats, either is wonderful."),
    ("housing", TODAY, "Somewhere to stay for two nights after a kitchen fire",
     "Just me and a small, quiet dog. The landlord says two days until it's safe."),
    ("housing", SOON, "Help moving out this Saturday; I'm leaving a bad situation",
     "Please don't share this post. I'll explain by message once someone takes it."),
    ("housing", WEEK, "A couch or spare room for a student between leases (one week)",
     "I'm tidy, quiet and out at the library most of the day."),
    ("housing", SOON, "Someone handy to look at a heater that won't turn on",
     "Landlord isn't answering. It's a wall heater, maybe just the pilot light."),
    ("housing", WEEK, "Borrow a dehumidifier: there's mould in the kids' room",
     "For a couple of weeks while I chase the landlord."),
    ("housing", ANYTIME, "Help writing a letter to my landlord about repairs",
     "Damp, a broken window latch and no hot water twice this month."),
    ("housing", TODAY, "Extra blankets and a space heater for an unheated apartment",
     "Heating broke yesterday and it's meant to freeze tonight."),
    ("housing", TODAY, "Patch a broken window before the rain tonight",
     "Plastic sheet and tape would do. I have a ladder."),
    ("housing", ANYTIME, "Help clearing an apartment after a bereavement",
     "My father's place. Mostly sorting and carrying bags to the car."),
    ("housing", ANYTIME, "Storage for a few boxes for a month",
     "Five boxes of books and papers, dry space needed."),
    ("skills", WEEK, "Help filling in a benefits form (it's long and confusing)",
     "Twenty pages. I keep getting stuck on the section about income."),
    ("skills", SOON, "Translate a school letter from English to Arabic",
     "One page about a school trip; I want to be sure I understand it."),
    ("skills", SOON, "Fix a bike so I can get to work",
     "Flat tyre and the chain keeps slipping. I have a pump."),
    ("skills", WEEK, "Set up a second-hand laptop for my kid's schoolwork",
     "It was donated but won't get past the start screen."),
    ("skills", WEEK, "Help with a resume and cover letter for a cleaning job",
     "I've worked for years but never written a resume."),
    ("skills", ANYTIME, "Sew up a torn winter coat",
     "The lining is ripped and a pocket is hanging off."),
    ("skills", ANYTIME, "Explain a confusing medical bill over a cup of tea",
     "It's three pages and I can't tell what I actually owe."),
    ("skills", WEEK, "Tax return help for a part-time worker",
     "Two jobs last year; I have all the papers in a folder."),
    ("skills", ANYTIME, "Teach me to video call so I can see my grandkids",
     "I have a tablet my son set up but I've forgotten everything."),
    ("skills", WEEK, "Help reading a tenancy agreement before I sign it",
     "The agent wants it back by Friday."),
    ("other", WEEK, "Someone to check in on me by message once a day this week",
     "I've just come home from hospital and live alone."),
    ("other", SOON, "Walk my dog in the mornings while my knee heals",
     "Friendly spaniel, pulls a bit. Thirty minutes is plenty."),
    ("other", WEEK, "Company at a hospital appointment; I don't want to go alone",
     "It's a results appointment. I'd just like someone in the waiting room."),
    ("other", WEEK, "Borrow a car seat for a visiting grandchild",
     "She's 2. Just for the weekend."),
    ("other", ANYTIME, "Hands to plant a shared vegetable bed at the community garden",
     "Saturday morning. Gloves and tea provided."),
    ("other", ANYTIME, "Return library books and post a parcel for a housebound neighbor",
     "Nothing urgent, whenever you're passing."),
    ("other", ANYTIME, "A chat and a cup of tea: it's been a lonely winter",
     "I'm 81 and love a natter about gardening or old films."),
    ("other", SOON, "Feed my cats for three days while I'm in hospital",
     "Two cats, one shy. I'll leave a key with the neighbor and share details by message."),
    ("other", ANYTIME, "Help sorting a pile of unopened post",
     "Some of it looks official and I've been too worried to open it."),
    ("other", WEEK, "Folding chairs for a neighborhood memorial gathering",
     "About twenty chairs, for Sunday afternoon."),
]  # fmt: skip

# Said in the private details; never a street address.
ACCESS_NOTES = [
    "I'm on the 3rd floor, buzzer broken; I'll share the address by message.",
    "Ground floor, step-free. I'll share the address by message once someone takes this.",
    "I'd rather meet somewhere public the first time; I'll suggest a place by message.",
    "I work nights, so mornings before eleven are hard for me.",
    "Please message before coming; I don't always hear the door.",
    "",
    "",
]

# --- What neighbors offer: categories, kind, days (0 = Monday), summary -------------------------

ONE_OFF, ONGOING = OfferKind.ONE_OFF, OfferKind.ONGOING
WEEKDAYS, WEEKENDS = [0, 1, 2, 3, 4], [5, 6]
OFFERS = [
    (["groceries"], ONE_OFF, [], "Box of tinned food and pasta from a pantry clear-out"),
    (["groceries", "funds"], ONE_OFF, [], "Three $25 supermarket gift cards to pass on"),
    (["childcare", "groceries"], ONE_OFF, [], "Two packs of diapers, size 3: my son outgrew them"),
    (["housing"], ONE_OFF, [], "Space heater and two spare duvets"),
    (["other", "childcare"], ONE_OFF, [], "A toddler car seat and a booster seat, free"),
    (["skills", "other"], ONE_OFF, [], "Spare laptop, wiped and ready for schoolwork"),
    (["funds", "rides"], ONE_OFF, [], "Unused monthly bus pass, valid to the end of the month"),
    (["other"], ONE_OFF, [], "Crutches and a shower stool, barely used"),
    (["housing", "other"], ONE_OFF, [], "A working microwave and a kettle"),
    (["other", "childcare"], ONE_OFF, [], "Bag of children's winter clothes, ages 4-6"),
    (["rides"], ONE_OFF, [], "A bike to lend for a month, lock included"),
    (["groceries"], ONE_OFF, [], "A freezer drawer of home-cooked meals, labelled"),
    (["rides", "groceries"], ONGOING, WEEKENDS, "I can drive at weekends: appointments, big shops"),
    (["groceries"], ONGOING, [1, 3], "Grocery runs on my way home from work"),
    (["skills"], ONGOING, [], "Translation: Spanish and Portuguese (letters, forms)"),
    (["skills", "rides"], ONGOING, [6], "Bike repairs on Sunday afternoons"),
    (["childcare"], ONGOING, [0, 1, 2, 3], "Babysitting on weekday evenings; first-aid trained"),
    (["prescriptions"], ONGOING, WEEKDAYS, "Pharmacy pickups in my lunch break"),
    (["funds"], ONGOING, [], "A small hardship fund: up to $50 a month toward a bill"),
    (["housing"], ONGOING, [], "Spare room for short emergency stays, up to three nights"),
    (["skills"], ONGOING, [], "Help with resumes and job applications"),
    (["childcare", "skills"], ONGOING, [0, 2], "Homework club for primary-school kids"),
    (["skills", "other"], ONGOING, [], "Mending and alterations, any clothes"),
    (["groceries"], ONGOING, [1, 4], "I cook an extra portion of dinner twice a week"),
    (["rides", "housing"], ONGOING, [5], "Van available for moves on Saturdays"),
    (["other"], ONGOING, WEEKDAYS, "Dog walking before work"),
    (["skills", "funds"], ONGOING, [], "Tax returns and benefit forms (retired accountant)"),
    (["other"], ONGOING, [], "Friendly check-ins by message for anyone isolated"),
    (["rides"], ONGOING, [3], "Lifts to the hospital on Thursday mornings"),
    (["groceries"], ONGOING, [], "Fresh eggs from my hens, a dozen a week"),
    (["other", "childcare"], ONGOING, WEEKENDS, "Weekend childcare swap with other single parents"),
    (["housing", "skills"], ONGOING, [], "Plumbing odd jobs: leaks, taps, blocked sinks"),
    (["skills"], ONGOING, [2], "English conversation practice over coffee"),
    (["housing", "other"], ONGOING, WEEKENDS, "Strong back, no car: carrying boxes and furniture"),
    (["prescriptions", "other"], ONGOING, [4], "Prescription runs for housebound neighbors"),
    (["other"], ONGOING, [], "Sitting with an elderly neighbor for an afternoon"),
]  # fmt: skip

# --- What happens to the needs ------------------------------------------------------------------
# Needs whose requester took up an offer: need summary, offer summary, how it ends.
TAKEN_UP = [
    ("Tinned food and rice to tide us over: my hours were cut",
     "Three $25 supermarket gift cards to pass on", "closed"),
    ("Extra blankets and a space heater for an unheated apartment",
     "Space heater and two spare duvets", "closed"),
    ("Bus pass for the month so I can get to my new job",
     "Unused monthly bus pass, valid to the end of the month", "closed"),
    ("Borrow a car seat for a visiting grandchild",
     "A toddler car seat and a booster seat, free", "closed"),
    ("Help filling in a benefits form (it's long and confusing)",
     "Tax returns and benefit forms (retired accountant)", "closed"),
    ("Collect eye drops after cataract surgery", "Pharmacy pickups in my lunch break", "closed"),
    ("Move a few boxes by car (a small hatchback is enough)",
     "Van available for moves on Saturdays", "closed"),
    ("Lift to the hospital for a scan; I can't drive after it",
     "Lifts to the hospital on Thursday mornings", "claimed"),
    ("Help with a resume and cover letter for a cleaning job",
     "Help with resumes and job applications", "claimed"),
    ("Fix a bike so I can get to work", "Bike repairs on Sunday afternoons", "claimed"),
]  # fmt: skip
# How each of the other NEEDS ends up; every status appears.
FATES = (
    ["open"] * 16
    + ["released"] * 3  # claimed, released: back on the board
    + ["reopened"] * 2  # marked done, but it wasn't: back on the board
    + ["claimed"] * 9
    + ["fulfilled"] * 7  # marked done, awaiting the requester's OK
    + ["closed"] * 14
    + ["closed_auto"] * 5  # nobody confirmed: the nightly job did
    + ["cancelled"] * 5
    + ["cancelled_claimed"] * 3
    + ["expired"] * 6  # its needed-by date passed with nobody to help
)
assert len(FATES) + len(TAKEN_UP) == len(NEEDS)

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
# How long until a volunteer steps in, and how long the work takes, by urgency.
CLAIM_DELAY = {TODAY: (0.15, 2), SOON: (1, 14), WEEK: (3, 48), ANYTIME: (12, 96)}  # hours
WORK_DELAY = {TODAY: (1, 5), SOON: (4, 36), WEEK: (12, 72), ANYTIME: (24, 120)}  # hours
# How long a still-open need has been waiting, by urgency.
OPEN_AGE = {TODAY: (0.25, 9), SOON: (2, 40), WEEK: (8, 140), ANYTIME: (24, 430)}  # hours

# Conversations between R (the requester) and V (the volunteer), fit for any kind of need.
THREADS = [
    [("V", "Hi! I saw your post and I can do this. What time suits you best?"),
     ("R", "Thank you so much. Any time after two is good for me."),
     ("V", "Great, let's say half past three. I'll message here when I'm close.")],
    [("V", "Hello, happy to help with this. Is there anything I should know first?"),
     ("R", "Only that the buzzer is broken, so please message me here when you're downstairs."),
     ("V", "No problem at all.")],
    [("R", "Thank you for taking this on! Would tomorrow morning be too soon?"),
     ("V", "Tomorrow morning works. Around ten?"),
     ("R", "Perfect. See you then.")],
    [("V", "Hi there, I'm free on Saturday. Would that work for you?"),
     ("R", "Saturday is great, thank you."),
     ("V", "Lovely. If anything changes, just message me here.")],
    [("V", "Hello! I can help. I'll keep the receipt so you can see what everything cost."),
     ("R", "That's very kind. I can pay you back on the day.")],
    [("R", "Hi, thanks for offering. Is it OK if I ask a couple of questions first?"),
     ("V", "Of course, ask away. There's no rush."),
     ("R", "Thank you, that already helps a lot.")],
    [("V", "Hi, I'm on it. Is the evening OK, after about six?"),
     ("R", "Evening is fine. I'll leave the porch light on.")],
    [("V", "Good morning! I've cleared my afternoon for this."),
     ("R", "You're a star, thank you.")],
]  # fmt: skip
# When a requester has taken up an offer, they write first.
OFFER_THREADS = [
    [("R", "Hi! I saw your offer and it's just what I need. Is it still going?"),
     ("V", "It is, and I'm glad it'll be put to use. When suits you?"),
     ("R", "Any evening this week. Thank you so much.")],
    [("R", "Hello, thank you for offering this. Would this week work for you?"),
     ("V", "Yes, Saturday morning works. I'll message on the day to confirm the time.")],
]  # fmt: skip
DONE_NOTES = [
    "All done! I hope it helps. Let me know if anything's not right.",
    "Done and dusted. It was nice to meet you.",
    "That's sorted. Take care, and post again if you need anything.",
]
THANKS = [
    "Thank you so much, this made my week.",
    "Got it, thank you. It really helped.",
    "All good here. Thank you for your kindness!",
]
RELEASE_NOTES = [
    "I'm really sorry, my shift changed and I can't make it. I'll release it for someone else.",
    "Apologies, I've come down with a cold and don't want to pass it on. Releasing this one.",
]
CANCEL_NOTES = [
    "So sorry to mess you around: my sister came by and sorted it. I'll cancel so you're free.",
    "Good news, a friend stepped in. Cancelling so you're free for someone else. Thank you!",
]
REOPEN_NOTES = [
    "Hi, I think there's been a mix-up: nothing has arrived here yet. I'll put it back up.",
    "I'm afraid it didn't quite work out, so I'll reopen it. Thanks for trying, though.",
]


# --- Time travel --------------------------------------------------------------------------------


def _timestamp_fields():
    """Every model field stamped with `default=timezone.now` (an audit row's too, if any)."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is timezone.now
    ]


@contextmanager
def clock_at(moment):
    """Make it `moment` for the services and for the models' timestamps, for one call.

    The services read the clock as `timezone.now()` when they run, so patching the module attribute
    reaches them. A field's `default=timezone.now` holds the function itself, which that patch
    cannot reach, so each such field's `get_default` is patched too. (time_machine would do both,
    but it is a test-only dependency and `make demo` installs only the runtime ones.)
    """
    fields = _timestamp_fields()

    def now():
        return moment

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(timezone, "now", now))
        for field in fields:
            stack.enter_context(mock.patch.object(field, "get_default", now))
        yield


class Script:
    """What happens in the replayed past: actions run in order of time, each at its moment."""

    def __init__(self, now):
        self.now = now
        self.steps = []

    def at(self, when, action):
        if when >= self.now:
            raise CommandError(f"The demo script has a step in the future ({when}); fix its times.")
        self.steps.append((when, len(self.steps), action))

    def run(self):
        for when, _, action in sorted(self.steps, key=lambda step: step[:2]):
            with clock_at(when):
                action()


class Story:
    """One need's life: what happens to it, and how long after it was posted."""

    def __init__(self, **fields):
        self.fields = fields  # need_post's arguments
        self.steps = []  # (time after posting, action taking the need)
        self.elapsed = timedelta(0)
        self.fulfilled_after = None
        self.offers = []  # (time after posting, offer plan) for each take-up of an offer

    @property
    def requester(self):
        return self.fields["requester"]

    def then(self, after, action):
        self.elapsed += after
        self.steps.append((self.elapsed, action))
        return self

    def claim(self, after, member):
        return self.then(after, lambda need: services.need_claim(need=need, member=member))

    def match(self, after, offer):
        self.then(
            after,
            lambda need: services.need_match_offer(
                need=need, offer=offer.fetch(), member=self.requester
            ),
        )
        self.offers.append((self.elapsed, offer))
        return self

    def say(self, after, sender, body):
        return self.then(
            after, lambda need: services.message_send(need=need, sender=sender, body=body)
        )

    def share(self, after, kind, value):
        return self.then(
            after,
            lambda need: services.contact_share(
                need=need, member=self.requester, kind=kind, value=value
            ),
        )

    def assign(self, after, volunteer, organizer):
        return self.then(
            after,
            lambda need: services.need_assign(need=need, volunteer=volunteer, organizer=organizer),
        )

    def release(self, after, member):
        return self.then(after, lambda need: services.need_release(need=need, member=member))

    def fulfil(self, after, member):
        self.then(after, lambda need: services.need_mark_fulfilled(need=need, member=member))
        self.fulfilled_after = self.elapsed
        return self

    def confirm(self, after):
        return self.then(
            after, lambda need: services.need_confirm(need=need, member=self.requester)
        )

    def reopen(self, after):
        return self.then(after, lambda need: services.need_reopen(need=need, member=self.requester))

    def cancel(self, after):
        return self.then(after, lambda need: services.need_cancel(need=need, member=self.requester))

    def schedule(self, script, posted_at):
        posted = {}

        def post():
            posted["pk"] = services.need_post(**self.fields).pk

        def act(action):
            # Fetched afresh: a nightly job may have moved the need since the last step.
            return lambda: action(Need.objects.get(pk=posted["pk"]))

        script.at(posted_at, post)
        for after, action in self.steps:
            script.at(posted_at + after, act(action))
        for after, offer in self.offers:
            offer.taken_up(posted_at + after)


class OfferPlan:
    def __init__(self, *, offerer, categories, areas, summary, kind, available_days):
        self.fields = dict(
            offerer=offerer,
            categories=categories,
            areas=areas,
            summary=summary,
            kind=kind,
            available_days=available_days,
        )
        self.pk = None
        self.first_taken_up = None

    @property
    def offerer(self):
        return self.fields["offerer"]

    def covers(self, category, area=None):
        return category in self.fields["categories"] and (
            area is None or area in self.fields["areas"]
        )

    def taken_up(self, when):
        if self.first_taken_up is None or when < self.first_taken_up:
            self.first_taken_up = when

    def fetch(self):
        return Offer.objects.get(pk=self.pk)

    def schedule(self, script, posted_at, withdrawn_at=None):
        def post():
            self.pk = services.offer_post(**self.fields).pk

        script.at(posted_at, post)
        if withdrawn_at is not None:
            script.at(
                withdrawn_at,
                lambda: services.offer_withdraw(offer=self.fetch(), member=self.offerer),
            )


# --- The demo -----------------------------------------------------------------------------------


class Demo:
    def __init__(self, now):
        self.now = now
        self.rng = random.Random(SEED)
        self.script = Script(now)

    def hours(self, low, high):
        """A random span between `low` and `high` hours, to the second."""
        return timedelta(seconds=round(self.rng.uniform(low, high) * 3600))

    def minutes(self, low, high):
        return self.hours(low / 60, high / 60)

    def load(self):
        self.make_areas()
        self.make_members()
        self.categories = {category.slug: category for category in Category.objects.all()}
        self.plan_offers()
        self.tell_personas()
        self.tell_the_rest()
        self.schedule_offers()
        self.schedule_nightly_jobs()
        self.script.run()

    # The network.

    def make_areas(self):
        self.areas = {}
        for name, parent in AREAS:
            self.areas[name] = Area.objects.create(name=name, parent=self.areas.get(parent))
        self.near = {name: {name} for name in self.areas}
        for one, other in BORDERS:
            self.areas[one].neighbors.add(self.areas[other])
            self.near[one].add(other)
            self.near[other].add(one)
        for name, parent in AREAS:
            if parent:  # a neighborhood and its district are near each other
                self.near[name].add(parent)
                self.near[parent].add(name)

    def make_members(self):
        self.members = {}
        for handle, home, role in MEMBERS:
            joined = self.now - self.hours(24 * 30, 24 * 240)
            with clock_at(joined):
                # Everyone in the demo is a member of standing: approved when they joined.
                member = Member.objects.create_user(
                    handle,
                    None,
                    home_area=self.areas[home],
                    level=Level.VOUCHED,
                    approved_at=joined,
                    vouched_since=joined,
                )
                if role == ORGANIZER:
                    RoleGrant.objects.create(member=member, role=ORGANIZER_ROLES[handle])
                self.members[handle] = member
        # One hash for everyone: a strong hasher takes a moment per password.
        Member.objects.filter(pk__in=[m.pk for m in self.members.values()]).update(
            password=make_password(PASSWORD)
        )
        self.askers = [self.members[h] for h, _, role in MEMBERS if role in (ASKS, BOTH)]
        self.helpers = [self.members[h] for h, _, role in MEMBERS if role in (HELPS, BOTH)]
        self.askers.remove(self.members["requester"])  # the personas' stories are told by hand

    def near_helpers(self, area, *, besides):
        helpers = [
            member
            for member in self.helpers
            if member.home_area.name in self.near[area.name] and member != besides
        ]
        return helpers if len(helpers) >= 2 else [m for m in self.helpers if m != besides]

    def plan_offers(self):
        self.offers = []
        for slugs, kind, days, summary in OFFERS:
            offerer = self.rng.choice(self.helpers)
            home = offerer.home_area.name
            names = sorted(self.near[home]) if kind == ONGOING else [home]
            self.offers.append(
                OfferPlan(
                    offerer=offerer,
                    categories=[self.categories[slug] for slug in slugs],
                    areas=[self.areas[name] for name in names],
                    summary=summary,
                    kind=kind,
                    available_days=days,
                )
            )

    def ago(self, **kwargs):
        return (self.now - timedelta(**kwargs)).replace(microsecond=0)

    # The three demo logins, told by hand so that each has something to show.

    def tell_personas(self):
        m, cat, area, script = self.members, self.categories, self.areas, self.script
        requester, volunteer, organizer = m["requester"], m["volunteer"], m["organizer"]

        def need(who, category, where, summary, details, urgency, needed_by=None, **privacy):
            return Story(
                requester=who,
                category=cat[category],
                area=area[where],
                summary=summary,
                details=details,
                urgency=urgency,
                needed_by=needed_by,
                **privacy,
            )

        # requester: a sensitive need, posted anonymously for organizers only; an organizer
        # matched it privately with the volunteer, who was given a way to reach the requester.
        story = need(
            requester,
            "housing",
            "Mill Quarter",
            "Somewhere safe to stay for a few nights",
            "I need to leave my flat for a while. I can't say more here; an organizer knows.",
            SOON,
            visibility=Visibility.ORGANIZERS,
            anonymous=True,
        )
        story.assign(HOUR * 3, volunteer, organizer)
        story.share(MINUTE * 20, ContactKind.TEXT, "Call the network's phone line and ask for R.")
        story.say(
            MINUTE * 30,
            volunteer,
            "Hello. I have a spare room from Friday, for as long as you need. No questions.",
        )
        story.schedule(script, self.ago(hours=20))

        # requester: claimed by the volunteer, and they are talking it through.
        story = need(
            requester,
            "groceries",
            "Mill Quarter",
            "Weekly shop while I recover from a hip operation",
            "Bread, milk, bananas, porridge oats, tinned soup, and whatever fruit looks good. "
            "I'm on the 3rd floor, buzzer broken; I'll share the address by message.",
            SOON,
        )
        story.claim(HOUR * 2, volunteer)
        story.say(
            MINUTE * 10,
            volunteer,
            "Hi! I'm in Harbor Flats, just over the bridge. I can do your shop tomorrow after "
            "work, around six. Does that suit?",
        )
        story.say(
            MINUTE * 25,
            requester,
            "That would be wonderful, thank you. I'll send the address and door code tomorrow "
            "morning.",
        )
        story.say(MINUTE * 8, volunteer, "Perfect. Any brand of porridge oats you prefer?")
        story.say(MINUTE * 40, requester, "The cheapest is fine! And no rush at all.")
        story.schedule(script, self.ago(hours=30))

        # requester: the volunteer marked it done; it awaits the requester's confirmation.
        story = need(
            requester,
            "prescriptions",
            "Mill Quarter",
            "Pick up a repeat prescription: I can't leave the house today",
            "It's ready at the pharmacy by the market. I'll message my name and date of birth "
            "for the counter.",
            TODAY,
        )
        story.claim(MINUTE * 35, volunteer)
        story.say(
            MINUTE * 5,
            volunteer,
            "On my way to the pharmacy now. What do they need from me to hand it over?",
        )
        story.say(
            MINUTE * 6,
            requester,
            "Just my name and date of birth; I've told them you're coming. Sending both now.",
        )
        story.say(
            MINUTE * 50,
            volunteer,
            "Got it, all sorted. I'll leave the bag at your door and knock twice.",
        )
        story.fulfil(MINUTE * 20, volunteer)
        story.schedule(script, self.ago(days=3))

        # requester: took up a one-off offer; done and confirmed, so the offer is given.
        pantry = self.offers[0]
        story = need(
            requester,
            "groceries",
            "Mill Quarter",
            "Store-cupboard basics to get me through to the end of the month",
            "Pasta, rice, tinned tomatoes, tea. Anything long-life.",
            WEEK,
        )
        story.match(HOUR * 5, pantry)
        story.say(
            MINUTE * 30,
            pantry.offerer,
            "Hi! The box is packed and ready. Shall I drop it round this evening?",
        )
        story.say(MINUTE * 15, requester, "Yes please, thank you! I'll message the address.")
        story.fulfil(HOUR * 26, pantry.offerer)
        story.say(HOUR * 3, requester, "It's all put away. You've been so kind, thank you.")
        story.confirm(MINUTE * 2)
        story.schedule(script, self.ago(days=12))

        # requester: the volunteer had to let go of it, and someone else did it.
        dan = m["dockside_dan"]
        story = need(
            requester,
            "rides",
            "Mill Quarter",
            "Ride to a hospital appointment on Thursday morning",
            "Check-in is at 9:30. I walk slowly but don't need a wheelchair.",
            WEEK,
        )
        story.claim(HOUR * 4, volunteer)
        story.say(
            HOUR * 20,
            volunteer,
            "I'm so sorry, my car failed its inspection today. I'll release this so someone "
            "else can take it.",
        )
        story.release(MINUTE * 3, volunteer)
        story.claim(HOUR * 3, dan)
        story.say(MINUTE * 20, dan, "Hi, I can take you on Thursday. I'll be outside at 8:45.")
        story.say(MINUTE * 30, requester, "Thank you, that's a weight off my mind.")
        story.fulfil(DAY * 2, dan)
        story.confirm(HOUR * 5)
        story.schedule(script, self.ago(days=16))

        # requester: one still open, one cancelled, one expired.
        need(
            requester,
            "skills",
            "Mill Quarter",
            "Help putting a bed frame together",
            "The parts are heavy and the instructions make no sense. Tools provided.",
            ANYTIME,
        ).schedule(script, self.ago(days=2, hours=5))
        story = need(
            requester,
            "childcare",
            "Mill Quarter",
            "Someone to sit with my son for an hour on Friday",
            "He's 10 and will mostly be reading.",
            WEEK,
        )
        story.cancel(HOUR * 19)
        story.schedule(script, self.ago(days=6))
        posted = self.ago(days=9, hours=3)
        need(
            requester,
            "rides",
            "Mill Quarter",
            "Lift to a job interview on the other side of town",
            "The interview is at 11; the buses would take two hours.",
            SOON,
            needed_by=timezone.localdate(posted) + DAY * 2,
        ).schedule(script, posted)

        # volunteer: a need done and closed, and one cancelled while they held it.
        june = m["grandma_june"]
        story = need(
            june,
            "groceries",
            "Willow Bend",
            "Heavy shopping: potatoes, cat litter and bottled water",
            "I can manage light things but not these. Please message before coming.",
            SOON,
        )
        story.claim(HOUR * 3, volunteer)
        story.say(MINUTE * 12, volunteer, "Hello June! I can bring them tomorrow at noon.")
        story.say(HOUR, june, "Lovely, dear. I'll put the kettle on.")
        story.fulfil(HOUR * 22, volunteer)
        story.confirm(HOUR * 2)
        story.schedule(script, self.ago(days=7))
        story = need(
            m["quiet_heron"],
            "childcare",
            "Mill Quarter",
            "After-school pickup on Wednesday",
            "She's 8 and knows to wait by the gate.",
            WEEK,
        )
        story.claim(HOUR * 6, volunteer)
        story.say(HOUR * 10, m["quiet_heron"], CANCEL_NOTES[0])
        story.cancel(MINUTE * 4)
        story.schedule(script, self.ago(days=10))

        # volunteer: open needs right at home, in Harbor Flats.
        need(
            m["harbor.hen"],
            "groceries",
            "Harbor Flats",
            "Milk, bread and fruit for two little ones",
            "Both kids are off school sick and I can't take them out.",
            TODAY,
        ).schedule(script, self.ago(hours=3))
        need(
            m["tidewater_tess"],
            "rides",
            "Harbor Flats",
            "Ride to a physio appointment next week",
            "Any weekday morning they can fit me in; I'll work around your time.",
            WEEK,
            needed_by=timezone.localdate(self.now) + DAY * 6,
        ).schedule(script, self.ago(hours=20))
        need(
            m["tidewater_tess"],
            "housing",
            "Harbor Flats",
            "Fit a smoke alarm: I can't get up a ladder",
            "I've bought the alarm and the batteries.",
            ANYTIME,
        ).schedule(script, self.ago(days=4))

        # organizer: entered a need for a neighbor who phoned (proxy intake), now in hand.
        lu = m["lantern_lu"]
        story = need(
            organizer,
            "groceries",
            "Old Town",
            "For a neighbor who phoned in: hot meals for a week after a hospital stay",
            "Entered for an older neighbor without internet, with her consent. She eats "
            "anything soft; no fish. I'll pass on the address by message.",
            SOON,
        )
        story.claim(HOUR * 2, lu)
        story.say(
            MINUTE * 15,
            lu,
            "I can cook a double batch of soup and stew tonight and drop it round tomorrow.",
        )
        story.say(
            MINUTE * 20,
            organizer,
            "Brilliant, thank you. She's expecting you after 11; I'll send the details.",
        )
        story.schedule(script, self.ago(hours=28))

        # The volunteer's own offer, which stays open.
        self.offers.append(
            OfferPlan(
                offerer=volunteer,
                categories=[cat["rides"], cat["groceries"]],
                areas=[area["Harbor Flats"], area["Mill Quarter"], area["Willow Bend"]],
                summary="Weekend driver: appointments, big shops, small moves",
                kind=ONGOING,
                available_days=WEEKENDS,
            )
        )

    # Everyone else: the NEEDS, each given one of the FATES or taking up an offer.

    def tell_the_rest(self):
        offers = {offer.fields["summary"]: offer for offer in self.offers}
        taken_up = {need: (offers[offer], fate) for need, offer, fate in TAKEN_UP}
        fates = FATES[:]
        self.rng.shuffle(fates)
        fates = iter(fates)
        privacy_dice = random.Random(SEED + 1)
        for slug, urgency, summary, details in NEEDS:
            offer, fate = taken_up.get(summary, (None, None))
            if offer is None:
                fate = next(fates)
                requester = self.rng.choice(self.askers)
            else:  # someone the offer reaches
                reached = [
                    asker
                    for asker in self.askers
                    if asker.home_area in offer.fields["areas"] and asker != offer.offerer
                ]
                requester = self.rng.choice(reached or self.askers)
            home = requester.home_area
            area = home
            if offer is None and self.rng.random() < 0.15:  # posted for somewhere nearby
                area = self.areas[self.rng.choice(sorted(self.near[home.name] - {home.name}))]
            note = self.rng.choice(ACCESS_NOTES)
            # Money, housing and health are asked for without a handle more often than not;
            # some of those unclaimed go to organizers only. (A separate dice: same network.)
            sensitive = slug in SENSITIVE and privacy_dice.random() < 0.6
            hidden = sensitive and offer is None and fate in ("cancelled", "expired")
            story = Story(
                requester=requester,
                category=self.categories[slug],
                area=area,
                summary=summary,
                details=f"{details} {note}".strip(),
                urgency=urgency,
                anonymous=sensitive,
                visibility=Visibility.ORGANIZERS if hidden else Visibility.MEMBERS,
            )
            self.tell(story, fate, offer)

    def conversation(self, story, volunteer, *, lines=None, offer=None):
        thread = self.rng.choice(OFFER_THREADS if offer else THREADS)
        for who, body in thread[:lines]:
            sender = volunteer if who == "V" else story.requester
            story.say(self.minutes(4, 70), sender, body)

    def tell(self, story, fate, offer=None):
        """Write the need's life as `fate` has it; with an `offer`, its requester takes it up."""
        rng, urgency, requester = self.rng, story.fields["urgency"], story.requester
        first, second = rng.sample(self.near_helpers(story.fields["area"], besides=requester), 2)
        claim_delay = self.hours(*CLAIM_DELAY[urgency])
        work_delay = self.hours(*WORK_DELAY[urgency])
        if offer is not None:
            first = offer.offerer

        def take_on():
            if offer is None:
                story.claim(claim_delay, first)
            else:
                story.match(claim_delay, offer)

        if fate == "released":
            take_on()
            self.conversation(story, first, lines=1)
            story.say(self.hours(2, 30), first, rng.choice(RELEASE_NOTES))
            story.release(self.minutes(1, 10), first)
        elif fate == "reopened":
            take_on()
            self.conversation(story, first)
            story.fulfil(work_delay, first)
            story.say(self.hours(1, 20), requester, rng.choice(REOPEN_NOTES))
            story.reopen(self.minutes(1, 5))
        elif fate == "claimed":
            take_on()
            if offer or rng.random() < 0.7:
                self.conversation(story, first, offer=offer)
        elif fate in ("fulfilled", "closed", "closed_auto"):
            if fate == "closed" and offer is None and rng.random() < 0.25:
                # A first volunteer had to drop it before another one did it.
                story.claim(claim_delay, second)
                story.say(self.hours(1, 12), second, rng.choice(RELEASE_NOTES))
                story.release(self.minutes(1, 10), second)
                claim_delay = self.hours(*CLAIM_DELAY[urgency])
            take_on()
            if fate != "closed_auto" or rng.random() < 0.5:
                self.conversation(story, first, offer=offer)
            story.fulfil(work_delay, first)
            if fate != "closed_auto":
                story.say(self.minutes(2, 30), first, rng.choice(DONE_NOTES))
            if fate == "closed":
                if rng.random() < 0.6:
                    story.say(self.hours(0.5, 20), requester, rng.choice(THANKS))
                story.confirm(self.minutes(1, 90))
        elif fate == "cancelled":
            story.cancel(self.hours(2, 48))
        elif fate == "cancelled_claimed":
            story.claim(claim_delay, first)
            self.conversation(story, first, lines=1)
            story.say(self.hours(1, 24), requester, rng.choice(CANCEL_NOTES))
            story.cancel(self.minutes(1, 5))
        # "open" and "expired" needs just wait: the nightly job expires the latter.

        story.schedule(self.script, self.posted_at(story, fate))

    def posted_at(self, story, fate):
        """When to post the need so that its whole story fits in the past and ends as told."""
        urgency, rng, now = story.fields["urgency"], self.rng, self.now
        span, margin = story.elapsed, timedelta(minutes=10)
        low, high = span + margin, HISTORY
        if fate == "open":
            low, high = (HOUR * h for h in OPEN_AGE[urgency])
            if rng.random() < 0.3:  # some say when by, a date still to come
                story.fields["needed_by"] = timezone.localdate(now) + timedelta(
                    days=rng.randint(1, 7)
                )
        elif fate in ("released", "reopened"):  # back on the board, waiting as open needs do
            high = low + HOUR * OPEN_AGE[urgency][1]
        elif fate == "claimed":
            high = low + DAY * 3
        elif fate == "fulfilled":  # marked done too recently for the auto-confirmation
            high = max(low, story.fulfilled_after + DAY * (settings.AUTO_CONFIRM_DAYS - 2))
        elif fate == "closed_auto":  # marked done long enough ago to be auto-confirmed
            low = max(low, story.fulfilled_after + DAY * (settings.AUTO_CONFIRM_DAYS + 1))
        elif fate == "expired":
            low, high = DAY * 5, DAY * 20
        posted = now - low - (high - low) * rng.random()
        if fate == "expired":  # posted while the date was still to come; it passed days ago
            story.fields["needed_by"] = min(
                timezone.localdate(posted) + timedelta(days=rng.randint(0, 3)),
                timezone.localdate(now) - timedelta(days=2),
            )
        return posted.replace(microsecond=0)

    def schedule_offers(self):
        untaken = [
            offer
            for offer in self.offers
            if offer.first_taken_up is None and offer.offerer.handle != "volunteer"
        ]
        withdrawn = set(self.rng.sample(untaken, 6))
        for offer in self.offers:
            posted = self.now - self.hours(2, 24 * 24)
            if offer.first_taken_up is not None:  # posted before anyone took it up
                posted = min(posted, offer.first_taken_up - self.hours(3, 96))
            withdrawn_at = None
            if offer in withdrawn:
                withdrawn_at = min(posted + self.hours(12, 24 * 9), self.now - HOUR)
            offer.schedule(self.script, posted.replace(microsecond=0), withdrawn_at)

    def schedule_nightly_jobs(self):
        """The worker's nightly pass, at 2:30 each night of the replayed past."""
        day = timezone.localdate(self.now - HISTORY - DAY * 2)
        while True:
            run_at = timezone.make_aware(datetime.combine(day, time(2, 30)))
            if run_at >= self.now:
                break
            self.script.at(run_at, lambda run_at=run_at: self.nightly(run_at))
            day += DAY

    @staticmethod
    def nightly(run_at):
        services.needs_expire(now=run_at)
        services.needs_auto_confirm(now=run_at)


# --- The command --------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Load a demo neighborhood network (areas, members, needs, offers) into an empty database."
    )

    def handle(self, *args, **options):
        if Member.objects.filter(handle__iexact="organizer").exists():
            self.stdout.write("The demo network is already loaded; nothing was changed.")
        else:
            self.refuse_to_mix()
            with transaction.atomic():
                Demo(now=timezone.now()).load()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo network: {Area.objects.count()} areas, "
                    f"{Member.objects.count()} members, {Need.objects.count()} needs, "
                    f"{Offer.objects.count()} offers."
                )
            )
        self.print_logins()

    def refuse_to_mix(self):
        """Fail cleanly, before writing anything, rather than mix the demo with real records."""
        handles = [handle for handle, _, _ in MEMBERS]
        taken = Member.objects.filter(handle__in=handles).values_list("handle", flat=True)
        taken = [
            *taken,
            *Area.objects.filter(name__in=[n for n, _ in AREAS]).values_list("name", flat=True),
        ]
        if taken:
            raise CommandError(
                f"load_demo fills an empty database, but this one already has {', '.join(taken)}."
            )

    def print_logins(self):
        width = max(len(handle) for handle, _ in LOGINS)
        self.stdout.write(f"\nOpen {URL} and log in with the password {PASSWORD!r} as:\n")
        self.stdout.write(f"  {'handle':<{width}}  to see")
        for handle, what in LOGINS:
            self.stdout.write(f"  {handle:<{width}}  {what}")
