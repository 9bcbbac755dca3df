"""The demo network, as data: its areas, its people and how each came to be trusted, what they
ask for and offer, what happens to it, and what the safety officers are told.

Nothing here writes anything: ``mutualaid.demo.loader`` plays it through the services, at the
moment each thing happens. Times are spans (``DAY * 3``), counted back from the moment the demo is
loaded ("ago") or on from the step before ("after"). In stories, ``R`` is the need's requester
and ``V`` the volunteer holding it at that step.

Summaries never hold a phone number, an email or a street address (the services' doxxing guard
would refuse them); an address, if any, is only ever "shared by message". The services' rate
limits count on the wall clock, so the whole load is one moment to them: keep each member under
RATE_LIMITS (30 messages, 10 vouches, 10 reports; a newcomer, 5 posts).
"""

from datetime import timedelta

from mutualaid.accounts.models import Role
from mutualaid.aid.models import ContactKind, OfferKind, ResourceKind, Urgency, Visibility
from mutualaid.safety.models import Reason, ReportAction

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
TODAY, SOON, WEEK, ANYTIME = Urgency.TODAY, Urgency.SOON, Urgency.WEEK, Urgency.ANYTIME
ONE_OFF, ONGOING = OfferKind.ONE_OFF, OfferKind.ONGOING
R, V = "R", "V"

PASSWORD = "demo-password-1"  # noqa: S105 (the demo's logins' password, printed on purpose)
SEED = 2024
# The network began this long ago: its founder set it up, then members joined one vouch at a time.
FOUNDED = DAY * 240
# How far back the needs and offers go; no need is older than this.
HISTORY = DAY * 21

# Who to log in as (all with PASSWORD), and what each one shows. Only these members have a
# password: the others could not log in (a strong hash takes a moment each, and a demo with forty
# of them would be slow to load).
LOGINS = [
    ("requester", "needs in every state: one claimed (with messages), one awaiting your OK"),
    ("volunteer", "claims in several states, and open needs in Harbor Flats to take on"),
    ("organizer", "the admin, also a dispatcher: the Organize room, settings, the dispatch queue"),
    ("dispatch.dee", "a dispatcher: the dispatch queue, suggestions, a caller she relays for"),
    ("triage.tam", "a triager: the triage queue (new needs wait there), notes, every need"),
    ("safety.sol", "a safety officer: open reports, a suspension, members to approve"),
    ("new.neighbor", "a newcomer waiting for a vouch: can post a need, cannot claim one yet"),
]

# --- The network --------------------------------------------------------------------------------

# The founder's first settings (network_settings_update). The vouch rules are the defaults: the
# loader spaces the vouches so that every one of them passes them.
NETWORK = {
    "name": "Riverside Mutual Aid",
    "scope": (
        "Neighbors helping neighbors across the Riverside district, Old Town, Elm Park, Northgate, "
        "Cedar Heights and Station Hill: groceries, rides, childcare, prescriptions, small sums, "
        "housing help, skills and pets. Organizers answer every day from 8 to 8."
    ),
    "vouches_required": 1,
    "vouch_wait_days": 14,
    "vouch_limit": 3,
}
# Kinds of help the founder adds to those every network starts with.
CATEGORIES = ["Pets"]

DISTRICT = "Riverside district"
AREAS = [  # name, parent: each area is saved with its borders to the areas saved before it
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

# --- The people ---------------------------------------------------------------------------------
# What a member mostly does: ASKS and HELPS (and BOTH) are drawn on for the needs below; ORGANIZER
# and QUIET members only appear in the stories told by hand.
ASKS, HELPS, BOTH, ORGANIZER, QUIET = "asks", "helps", "both", "organizer", "quiet"

# How each member came in, which is how the vouch tree grows:
#   ("founder",)                     made the network (the first admin, as createsuperuser makes)
#   ("approved by", handle)          approved by an admin or a safety officer
#   ("vouched by", handle, note)     vouched for by a vouched member (vouch_give)
#   ("invited by", handle, note)     joined through a vouched member's invitation (invite_use)
#   ("newcomer", ago)                joined that long ago, still waiting for a vouch
# A member is listed after the one who let them in.
MEMBERS = [  # handle, home area, what they mostly do, how they came in
    ("organizer", "Old Town", ORGANIZER, ("founder",)),
    ("dispatch.dee", "Old Town", ORGANIZER, ("approved by", "organizer")),
    ("triage.tam", "Elm Park", ORGANIZER, ("approved by", "organizer")),
    ("safety.sol", "Station Hill", ORGANIZER, ("approved by", "organizer")),
    ("lantern_lu", "Old Town", BOTH, ("approved by", "organizer")),
    ("bookbinder", "Old Town", HELPS, ("approved by", "safety.sol")),
    # The first vouches, by the founders.
    ("volunteer", "Harbor Flats", HELPS,
     ("vouched by", "organizer", "Ran the food bank van with me all last winter.")),
    ("tomas.b", "Mill Quarter", BOTH,
     ("vouched by", "organizer", "We sit on the tenants' association together.")),
    ("elm.ash", "Elm Park", HELPS,
     ("vouched by", "organizer", "Volunteers at the park clean-ups; I've known her for years.")),
    ("dockside_dan", "Harbor Flats", HELPS,
     ("vouched by", "dispatch.dee", "My old workmate from the docks. Reliable as the tide.")),
    ("north.star", "Northgate", HELPS,
     ("vouched by", "dispatch.dee", "Coaches the kids' football team my son plays in.")),
    ("cedar.sam", "Cedar Heights", HELPS,
     ("vouched by", "dispatch.dee", "Helped us move flats twice, never late.")),
    ("sunny-side", "Elm Park", BOTH,
     ("vouched by", "triage.tam", "Neighbor across the landing.")),
    ("two.left.feet", "Elm Park", HELPS,
     ("vouched by", "triage.tam", "From my dance class; drives the community bus.")),
    ("parkbench_pat", "Elm Park", ASKS,
     ("vouched by", "triage.tam", "Lives on my street; we've shared a hedge for ten years.")),
    ("station.sal", "Station Hill", HELPS,
     ("vouched by", "safety.sol", "Runs the repair café at the station hall.")),
    ("bike-lady", "Willow Bend", HELPS,
     ("vouched by", "safety.sol", "Fixed half the bikes in Willow Bend, mine included.")),
    ("kettle.on", "Willow Bend", HELPS,
     ("vouched by", "lantern_lu", "Hosts the Tuesday lunch club with me.")),
    ("rooftop-gardener", "Harbor Flats", HELPS,
     ("vouched by", "lantern_lu", "Grows veg for the community fridge.")),
    ("platform9", "Station Hill", HELPS,
     ("vouched by", "bookbinder", "A regular at the library; helps with the reading group.")),
    ("hilltop_hal", "Cedar Heights", HELPS,
     ("vouched by", "bookbinder", "Retired teacher; my neighbor for years.")),
    # Their neighbors, vouched for in turn.
    ("requester", "Mill Quarter", ASKS,
     ("vouched by", "tomas.b", "Downstairs neighbor; I've known her since she moved in.")),
    ("maple.fox", "Mill Quarter", ASKS,
     ("vouched by", "tomas.b", "Her kids go to school with mine.")),
    ("quiet_heron", "Mill Quarter", ASKS,
     ("vouched by", "tomas.b", "We met at the tenants' association.")),
    ("harbor.hen", "Harbor Flats", ASKS,
     ("vouched by", "volunteer", "My neighbor in the next block; I know her family well.")),
    ("soup.kitchen.sid", "Harbor Flats", HELPS,
     ("vouched by", "volunteer", "Cooks at the soup kitchen where I help on Fridays.")),
    ("nightshift-nurse", "Mill Quarter", ASKS,
     ("vouched by", "elm.ash", "We work at the same hospital.")),
    ("frost-fern", "Northgate", HELPS,
     ("vouched by", "north.star", "Assistant coach of the football team.")),
    ("noodle.soup", "Northgate", ASKS,
     ("vouched by", "north.star", "A parent from the team; lovely family.")),
    ("northgate_nia", "Northgate", ASKS,
     ("vouched by", "north.star", "My cousin's neighbor; I've known her for years.")),
    ("moth-and-rust", "Cedar Heights", ASKS,
     ("vouched by", "cedar.sam", "Neighbor I helped move in.")),
    ("pine.cone", "Cedar Heights", ASKS,
     ("vouched by", "cedar.sam", "Lives two doors down.")),
    ("night.bus", "Station Hill", ASKS,
     ("vouched by", "station.sal", "Comes to the repair café every month.")),
    ("late.train", "Station Hill", ASKS,
     ("vouched by", "station.sal", "Another repair café regular.")),
    ("willow.wren", "Willow Bend", ASKS,
     ("vouched by", "bike-lady", "I fixed her bike; we've been friends since.")),
    ("grandma_june", "Willow Bend", ASKS,
     ("vouched by", "bike-lady", "Everyone in Willow Bend knows June.")),
    ("tidewater_tess", "Harbor Flats", ASKS,
     ("invited by", "dockside_dan", "My sister-in-law, just moved to Harbor Flats.")),
    ("mutual_mo", "Northgate", ASKS,
     ("vouched by", "frost-fern", "We train together on Sundays.")),
    ("riverside.rita", DISTRICT, ASKS,
     ("invited by", "soup.kitchen.sid", "Helps out at the soup kitchen on Saturdays.")),
    ("corner.shop.cal", "Northgate", HELPS,
     ("vouched by", "mutual_mo", "Runs the corner shop; knows everyone in Northgate.")),
    # Newcomers, waiting for someone who knows them to vouch.
    ("new.neighbor", "Mill Quarter", QUIET, ("newcomer", DAY * 4)),
    ("fresh-start", "Willow Bend", QUIET, ("newcomer", DAY * 2)),
    ("rosa.k", "Harbor Flats", QUIET, ("newcomer", DAY * 6)),
    ("quick.cash", "Northgate", QUIET, ("newcomer", DAY * 10)),  # not here for mutual aid
]  # fmt: skip
# Organizer roles, granted by the founder (the admin).
ROLES = {
    # The founder is the admin already; they dispatch too (read private text, match needs).
    "organizer": [Role.DISPATCHER],
    "dispatch.dee": [Role.DISPATCHER],
    "triage.tam": [Role.TRIAGER],
    "safety.sol": [Role.SAFETY],
}

# --- What neighbors ask for: category, urgency, public summary, private details -------------------
# Summaries never hold a phone number, an email or a street address; an address, if any, is only
# ever "shared by message".

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
    ("pets", SOON, "Walk my dog in the mornings while my knee heals",
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
    ("pets", SOON, "Feed my cats for three days while I'm in hospital",
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
    (["skills"], ONGOING, [], "Help with resumes and job applications"),
    (["childcare", "skills"], ONGOING, [0, 2], "Homework club for primary-school kids"),
    (["skills", "other"], ONGOING, [], "Mending and alterations, any clothes"),
    (["groceries"], ONGOING, [1, 4], "I cook an extra portion of dinner twice a week"),
    (["rides", "housing"], ONGOING, [5], "Van available for moves on Saturdays"),
    (["pets"], ONGOING, WEEKDAYS, "Dog walking before work"),
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

# --- Stories told by hand, so that each login has something to show ------------------------------
# A need: need_post's fields (by handle and names), when it was posted, and its steps, each
# (what, after the step before, who or what...):
#   ("claim", after, volunteer)         ("assign", after, volunteer, organizer) (who accepts)
#   ("propose", after, volunteer, organizer) (the volunteer has not answered yet)
#   ("match", after, offer summary)     ("say", after, R or V, body)
#   ("share", after, contact kind, value)
#   ("release", after)  ("fulfil", after)  ("confirm", after)  ("reopen", after)  ("cancel", after)
STORIES = [
    # requester: a sensitive need, posted anonymously for organizers only; an organizer matched it
    # privately with the volunteer, who was given a way to reach the requester.
    dict(
        requester="requester", category="housing", area="Mill Quarter", urgency=SOON,
        summary="Somewhere safe to stay for a few nights",
        details="I need to leave my flat for a while. I can't say more here; an organizer knows.",
        visibility=Visibility.ORGANIZERS, anonymous=True,
        posted=HOUR * 20,
        steps=[
            ("assign", HOUR * 3, "volunteer", "organizer"),
            ("share", MINUTE * 20, ContactKind.TEXT,
             "Call the network's phone line and ask for R."),
            ("say", MINUTE * 30, V,
             "Hello. I have a spare room from Friday, for as long as you need. No questions."),
        ],
    ),
    # requester: claimed by the volunteer, and they are talking it through.
    dict(
        requester="requester", category="groceries", area="Mill Quarter", urgency=SOON,
        summary="Weekly shop while I recover from a hip operation",
        details="Bread, milk, bananas, porridge oats, tinned soup, and whatever fruit looks good. "
        "I'm on the 3rd floor, buzzer broken; I'll share the address by message.",
        posted=HOUR * 30,
        steps=[
            ("claim", HOUR * 2, "volunteer"),
            ("say", MINUTE * 10, V,
             "Hi! I'm in Harbor Flats, just over the bridge. I can do your shop tomorrow after "
             "work, around six. Does that suit?"),
            ("say", MINUTE * 25, R,
             "That would be wonderful, thank you. I'll send the address and door code tomorrow "
             "morning."),
            ("say", MINUTE * 8, V, "Perfect. Any brand of porridge oats you prefer?"),
            ("say", MINUTE * 40, R, "The cheapest is fine! And no rush at all."),
        ],
    ),
    # requester: the volunteer marked it done; it awaits the requester's confirmation.
    dict(
        requester="requester", category="prescriptions", area="Mill Quarter", urgency=TODAY,
        summary="Pick up a repeat prescription: I can't leave the house today",
        details="It's ready at the pharmacy by the market. I'll message my name and date of birth "
        "for the counter.",
        posted=DAY * 3,
        steps=[
            ("claim", MINUTE * 35, "volunteer"),
            ("say", MINUTE * 5, V,
             "On my way to the pharmacy now. What do they need from me to hand it over?"),
            ("say", MINUTE * 6, R,
             "Just my name and date of birth; I've told them you're coming. Sending both now."),
            ("say", MINUTE * 50, V,
             "Got it, all sorted. I'll leave the bag at your door and knock twice."),
            ("fulfil", MINUTE * 20),
        ],
    ),
    # requester: took up a one-off offer; done and confirmed, so the offer is given.
    dict(
        requester="requester", category="groceries", area="Mill Quarter", urgency=WEEK,
        summary="Store-cupboard basics to get me through to the end of the month",
        details="Pasta, rice, tinned tomatoes, tea. Anything long-life.",
        posted=DAY * 12,
        steps=[
            ("match", HOUR * 5, "Box of tinned food and pasta from a pantry clear-out"),
            ("say", MINUTE * 30, V,
             "Hi! The box is packed and ready. Shall I drop it round this evening?"),
            ("say", MINUTE * 15, R, "Yes please, thank you! I'll message the address."),
            ("fulfil", HOUR * 26),
            ("say", HOUR * 3, R, "It's all put away. You've been so kind, thank you."),
            ("confirm", MINUTE * 2),
        ],
    ),
    # requester: the volunteer had to let go of it, and someone else did it.
    dict(
        requester="requester", category="rides", area="Mill Quarter", urgency=WEEK,
        summary="Ride to a hospital appointment on Thursday morning",
        details="Check-in is at 9:30. I walk slowly but don't need a wheelchair.",
        posted=DAY * 16,
        steps=[
            ("claim", HOUR * 4, "volunteer"),
            ("say", HOUR * 20, V,
             "I'm so sorry, my car failed its inspection today. I'll release this so someone "
             "else can take it."),
            ("release", MINUTE * 3),
            ("claim", HOUR * 3, "dockside_dan"),
            ("say", MINUTE * 20, V, "Hi, I can take you on Thursday. I'll be outside at 8:45."),
            ("say", MINUTE * 30, R, "Thank you, that's a weight off my mind."),
            ("fulfil", DAY * 2),
            ("confirm", HOUR * 5),
        ],
    ),
    # requester: one still open, one cancelled, one expired.
    dict(
        requester="requester", category="skills", area="Mill Quarter", urgency=ANYTIME,
        summary="Help putting a bed frame together",
        details="The parts are heavy and the instructions make no sense. Tools provided.",
        posted=DAY * 2 + HOUR * 5,
        steps=[],
    ),
    dict(
        requester="requester", category="childcare", area="Mill Quarter", urgency=WEEK,
        summary="Someone to sit with my son for an hour on Friday",
        details="He's 10 and will mostly be reading.",
        posted=DAY * 6,
        steps=[("cancel", HOUR * 19)],
    ),
    dict(
        requester="requester", category="rides", area="Mill Quarter", urgency=SOON,
        summary="Lift to a job interview on the other side of town",
        details="The interview is at 11; the buses would take two hours.",
        posted=DAY * 9 + HOUR * 3, needed_by=DAY * 2,  # needed by two days after it was posted
        steps=[],
    ),
    # volunteer: a need done and closed, and one cancelled while they held it.
    dict(
        requester="grandma_june", category="groceries", area="Willow Bend", urgency=SOON,
        summary="Heavy shopping: potatoes, cat litter and bottled water",
        details="I can manage light things but not these. Please message before coming.",
        posted=DAY * 7,
        steps=[
            ("claim", HOUR * 3, "volunteer"),
            ("say", MINUTE * 12, V, "Hello June! I can bring them tomorrow at noon."),
            ("say", HOUR, R, "Lovely, dear. I'll put the kettle on."),
            ("fulfil", HOUR * 22),
            ("confirm", HOUR * 2),
        ],
    ),
    dict(
        requester="quiet_heron", category="childcare", area="Mill Quarter", urgency=WEEK,
        summary="After-school pickup on Wednesday",
        details="She's 8 and knows to wait by the gate.",
        posted=DAY * 10,
        steps=[
            ("claim", HOUR * 6, "volunteer"),
            ("say", HOUR * 10, R,
             "So sorry to mess you around: my sister came by and sorted it. I'll cancel so "
             "you're free."),
            ("cancel", MINUTE * 4),
        ],
    ),
    # volunteer: open needs right at home, in Harbor Flats.
    dict(
        requester="harbor.hen", category="groceries", area="Harbor Flats", urgency=TODAY,
        summary="Milk, bread and fruit for two little ones",
        details="Both kids are off school sick and I can't take them out.",
        posted=HOUR * 3,
        steps=[],
    ),
    dict(
        requester="tidewater_tess", category="rides", area="Harbor Flats", urgency=WEEK,
        summary="Ride to a physio appointment next week",
        details="Any weekday morning they can fit me in; I'll work around your time.",
        posted=HOUR * 20, needed_by=DAY * 7,
        steps=[],
    ),
    dict(
        requester="tidewater_tess", category="housing", area="Harbor Flats", urgency=ANYTIME,
        summary="Fit a smoke alarm: I can't get up a ladder",
        details="I've bought the alarm and the batteries.",
        posted=DAY * 4,
        steps=[],
    ),
    # dispatch.dee took a call from a neighbor without internet (proxy intake, her consent
    # recorded) and relays the conversation for her; the volunteer's last message waits for it.
    dict(
        caller=("caller-rosa", ContactKind.PHONE, "(617) 555-0187"), taken_in_by="dispatch.dee",
        category="groceries", area="Old Town", urgency=SOON,
        summary="Hot meals for a week after a hospital stay",
        details="An older neighbor without internet. She eats anything soft; no fish. Her "
        "address is with the organizers.",
        posted=HOUR * 28,
        steps=[
            ("claim", HOUR * 2, "lantern_lu"),
            ("say", MINUTE * 15, V,
             "I can cook a double batch of soup and stew tonight and drop it round tomorrow."),
            ("relay", MINUTE * 50, "dispatch.dee",
             "She says thank you, that sounds lovely. She's in after 11 tomorrow."),
            ("say", MINUTE * 20, V,
             "Wonderful. Does she have a microwave, or shall I bring it hot?"),
        ],
    ),
    # volunteer: a dispatcher asked them to take this on this morning; it waits for their answer.
    dict(
        requester="night.bus", category="groceries", area="Station Hill", urgency=SOON,
        summary="Heavy shopping from the market: potatoes, rice, bottled water",
        details="Third floor, no lift. Any time after 4pm is fine.",
        posted=HOUR * 5,
        steps=[("propose", HOUR * 2, "volunteer", "dispatch.dee")],
    ),
    # dispatch.dee: an organizers-only, anonymous need, matched with a trusted volunteer.
    dict(
        requester="night.bus", category="funds", area="Station Hill", urgency=WEEK,
        summary="Help with a month's rent after losing my job",
        details="I was let go on Friday. The rent is due on the 1st and I'm about $300 short.",
        visibility=Visibility.ORGANIZERS, anonymous=True,
        posted=DAY * 2 + HOUR * 4,
        steps=[
            ("assign", HOUR * 6, "station.sal", "dispatch.dee"),
            ("say", HOUR, V,
             "Hello, the organizers asked me to help with this. The hardship fund can cover "
             "part of it; can we talk about the rest tomorrow?"),
            ("say", HOUR * 2, R, "Thank you. Tomorrow after ten is fine."),
        ],
    ),
    # safety.sol's queue: a message that made its requester uneasy (reported below).
    dict(
        requester="pine.cone", category="rides", area="Cedar Heights", urgency=WEEK,
        summary="Lift to the garden centre for compost and a few plants",
        details="Two bags of compost and some seedlings; they won't fit on the bus.",
        posted=DAY * 3,
        steps=[
            ("claim", HOUR * 5, "hilltop_hal"),
            ("say", MINUTE * 40, V,
             "Before I come, send me your full address and the door code so I can plan my route."),
            ("say", HOUR * 3, R, "I'd rather meet at the bus stop by the library, if that's OK."),
        ],
    ),
    # A newcomer may post before anyone vouches for them.
    dict(
        requester="new.neighbor", category="other", area="Mill Quarter", urgency=ANYTIME,
        summary="New to the area: where do people swap kids' clothes and toys?",
        details="We moved in last month with a toddler and a baby on the way.",
        posted=DAY + HOUR * 2,
        steps=[],
    ),
]  # fmt: skip

# --- Triage ---------------------------------------------------------------------------------------
# This long ago the founder sent new needs to triage first: triage.tam looks at each before it
# reaches the board (the other needs posted since were put on the board within minutes).
TRIAGE_SINCE = HOUR * 2
# Needs posted since, and what triage did with them (the steps as in STORIES, and):
#   ("publish", after, triager)   ("prioritise", after, triager, priority)
#   ("ask", after, triager, question)   ("answer", after, text)   ("note", after, organizer, text)
#   ("merge", after, triager, the other need's summary)   ("decline", after, triager, reason,
#   resources)   ("relay", after, organizer, body) (for a caller's need, what they said)
TRIAGED = [
    # new.neighbor: posted a few minutes ago, waiting for an organizer to look at it.
    dict(
        requester="new.neighbor", category="groceries", area="Mill Quarter", urgency=WEEK,
        summary="A hand with a big food shop: we have no car yet",
        details="Nappies, formula and a week of basics. Any day after three.",
        posted=MINUTE * 12,
        steps=[],
    ),
    dict(
        requester="harbor.hen", category="childcare", area="Harbor Flats", urgency=SOON,
        summary="Someone to sit with my two for an evening while I work a shift",
        details="Thursday from five to ten. They're 4 and 7 and go to bed at eight.",
        posted=MINUTE * 35,
        steps=[],
    ),
    # requester: asked for more, answered, then published with a high priority.
    dict(
        requester="requester", category="rides", area="Mill Quarter", urgency=SOON,
        summary="Ride to a hospital appointment, with help getting in and out",
        details="A check-up after my operation.",
        posted=MINUTE * 100,
        steps=[
            ("ask", MINUTE * 20, "triage.tam",
             "Which day and time is the appointment, and will you need a hand with a walking "
             "frame?"),
            ("answer", MINUTE * 25,
             "Thursday at ten at the General. Yes: a frame that folds, it fits in any boot."),
            ("prioritise", MINUTE * 8, "triage.tam", "high"),
            ("publish", MINUTE, "triage.tam"),
        ],
    ),
    # The same need posted twice: the second is merged into the first.
    dict(
        requester="maple.fox", category="childcare", area="Mill Quarter", urgency=SOON,
        summary="After-school pick-up for my two on Wednesday",
        details="School ends at 3:15. They can walk if someone is with them.",
        posted=MINUTE * 90,
        steps=[("publish", MINUTE * 30, "triage.tam")],
    ),
    dict(
        requester="maple.fox", category="childcare", area="Mill Quarter", urgency=SOON,
        summary="Someone to collect my kids from school on Wednesday",
        details="Posting again in case the first one didn't go through.",
        posted=MINUTE * 80,
        steps=[("merge", MINUTE * 25, "triage.tam",
                "After-school pick-up for my two on Wednesday")],
    ),
    # Out of scope: declined, with where to turn instead.
    dict(
        requester="noodle.soup", category="skills", area="Northgate", urgency=WEEK,
        summary="Someone to fix the boiler in my rented flat",
        details="No hot water since Sunday; the landlord is not answering.",
        posted=MINUTE * 70,
        steps=[("decline", MINUTE * 30, "triage.tam",
                "A boiler in a rented flat is the landlord's to repair, and we can't send "
                "neighbors to do gas work.",
                "The council's tenants' advice line (on its website) can make the landlord "
                "act quickly; the library lends electric kettles and heaters.")],
    ),
    # Critical and for organizers only: published at once, with a note for the dispatchers.
    dict(
        requester="quiet_heron", category="housing", area="Mill Quarter", urgency=TODAY,
        summary="Somewhere safe to sleep tonight",
        details="I can't stay at home tonight. I have a bag and my phone.",
        visibility=Visibility.ORGANIZERS, anonymous=True,
        posted=MINUTE * 40,
        steps=[
            ("prioritise", MINUTE * 4, "triage.tam", "critical"),
            ("note", MINUTE, "triage.tam",
             "Spoke to her by message: safe for the next few hours. cedar.sam's spare room "
             "offer is nearest; dispatch.dee knows the night shelter staff."),
            ("publish", MINUTE, "triage.tam"),
        ],
    ),
]  # fmt: skip

# The languages members speak (the match engine prefers a volunteer who shares one).
LANGUAGES = {
    "volunteer": ["en", "es"],
    "tomas.b": ["en", "es"],
    "lantern_lu": ["en", "zh"],
    "harbor.hen": ["es"],
    "sunny-side": ["en", "vi"],
    "dockside_dan": ["en", "pl"],
    "requester": ["en"],
}

# Offers told by hand (the others, OFFERS above, go to helpers the loader draws): the offerer,
# categories, areas, kind, days, summary, and when posted (None: any time in the HISTORY).
HAND_OFFERS = [
    ("volunteer", ["rides", "groceries"], ["Harbor Flats", "Mill Quarter", "Willow Bend"],
     ONGOING, WEEKENDS, "Weekend driver: appointments, big shops, small moves", None),
    ("quick.cash", ["funds"], ["Northgate"], ONE_OFF, [],
     "Fast cash loans for neighbors in a pinch, small fee up front", DAY * 9),
    ("cedar.sam", ["housing"], ["Cedar Heights", "Northgate", "Station Hill"], ONGOING, [],
     "Spare room for short emergency stays, up to three nights", DAY * 15),
]  # fmt: skip

# --- Where else to turn -------------------------------------------------------------------------
# The resource directory, listed by the founder in the network's first days (resource_create):
# name, kind, areas (none: the whole network), kinds of help (none: any), hours, phone, link,
# description. Organizations' public details, never a person's; 555-01xx numbers are fictional.
RESOURCES = [
    ("Riverside Community Food Bank", ResourceKind.FOOD_BANK, [DISTRICT], ["groceries"],
     "Tuesday and Thursday 10–4, Saturday 9–12", "(212) 555-0140",
     "https://food.riverside.example.org",
     "Free groceries for anyone who asks, no ID needed. Fresh vegetables on Saturdays."),
    ("Old Town Community Fridge", ResourceKind.FOOD_BANK, ["Old Town", "Elm Park"],
     ["groceries"], "Day and night", "", "",
     "Take what you need, leave what you can: beside the Old Town library's side door."),
    ("Harbor Lights Night Shelter", ResourceKind.SHELTER, ["Harbor Flats", "Mill Quarter"],
     ["housing"], "Doors open 7 pm to 8 am, every night", "(212) 555-0163",
     "https://harborlights.example.org",
     "Beds for adults, first come first served; families are helped to find a room that night."),
    ("988 Suicide & Crisis Lifeline", ResourceKind.HOTLINE, [], [], "Day and night", "988",
     "https://988lifeline.org", "Call or text 988 to talk to someone now. Free and confidential."),
    ("211 Community Helpline", ResourceKind.HOTLINE, [], ["funds", "housing", "groceries"],
     "Day and night", "211", "",
     "Help finding food, housing, help with bills and benefits; interpreters on request."),
    ("Northgate Free Clinic", ResourceKind.CLINIC, ["Northgate", "Cedar Heights", "Elm Park"],
     ["prescriptions"], "Monday, Wednesday and Friday 9–5; walk-ins until 3", "(212) 555-0187",
     "https://clinic.northgate.example.org",
     "Check-ups and prescriptions for people without insurance, in English and Spanish."),
    ("Council tenants' advice line", ResourceKind.GUIDANCE, [], ["housing", "skills"],
     "Weekdays 9–5", "(212) 555-0110", "https://council.example.org/tenants",
     "Free advice on repairs, rent and eviction: they can make a landlord fix heating and hot "
     "water quickly."),
    ("Station Hill Warm Space", ResourceKind.OTHER, ["Station Hill"], [],
     "Weekdays 10–6, November to March", "", "",
     "A warm room at the station hall with tea, phone charging and wifi."),
]  # fmt: skip
# How long after the network was founded the founder lists them.
RESOURCES_AFTER = DAY * 3

# --- Safety ---------------------------------------------------------------------------------------
# Reports: who, about what ("member", handle) ("need", summary) ("offer", summary) ("message",
# body), why, their words, how long ago; and how a safety officer handled it, if they have yet:
# (officer, action, the words the member reads, how long after).
REPORTS = [
    ("grandma_june", ("offer", "Fast cash loans for neighbors in a pinch, small fee up front"),
     Reason.SCAM, "They want a fee before lending anything. That's not mutual aid.", DAY * 8,
     ("safety.sol", ReportAction.HIDE, "", HOUR * 3)),
    ("maple.fox", ("member", "quick.cash"), Reason.SCAM,
     "The same fee pitch as their hidden offer, now going round the school gate.", DAY * 6,
     ("safety.sol", ReportAction.SUSPEND,
      "Asking neighbors for fees up front is not mutual aid. Write to the organizers if you "
      "think this is a mistake.", HOUR * 5)),
    ("maple.fox", ("need", "New to the area: where do people swap kids' clothes and toys?"),
     Reason.SPAM, "Is this really a need? It reads like a question for a chat group.", HOUR * 20,
     ("safety.sol", ReportAction.DISMISS, "", HOUR * 2)),
    ("late.train", ("member", "two.left.feet"), Reason.OTHER,
     "Didn't turn up on Saturday and didn't answer messages. Maybe just busy, but please check "
     "in with them.", DAY * 4,
     ("safety.sol", ReportAction.WARN,
      "A neighbor waited for you on Saturday. If plans change, release the need so that someone "
      "else can step in.", HOUR * 30)),
    # Open: the safety officer's queue.
    ("pine.cone",
     ("message", "Before I come, send me your full address and the door code so I can plan my "
      "route."),
     Reason.UNSAFE, "He wanted my address and door code before we'd even agreed a day. Probably "
     "fine, but I'd like someone to look.", HOUR * 30, None),
    ("parkbench_pat", ("offer", "Spare room for short emergency stays, up to three nights"),
     Reason.UNSAFE, "A stranger's spare room for people leaving home in a hurry: could an "
     "organizer check it first?", DAY * 2, None),
    ("kettle.on", ("member", "fresh-start"), Reason.OTHER,
     "Asked me outside the shop how much the network pays its volunteers, and for my handle. "
     "Odd, but maybe nothing.", HOUR * 9, None),
]  # fmt: skip
# Blocks: (who blocks, whom, how long ago). Nobody is told.
BLOCKS = [("grandma_june", "quick.cash", DAY * 8)]

# --- Mail -----------------------------------------------------------------------------------------
# The members who gave an email, and how they chose to hear of every kind of notice by it
# (notifications' Mode: "now" right away, "daily" in a daily digest); everyone else stays in-app
# only, as a pseudonymous member without an email does. Chosen MAIL_SINCE ago: what reached them
# since is sent at the end of the load (into the demo's mail folder), with one daily digest.
MAIL = [
    ("volunteer", "volunteer@example.org", "now"),
    ("requester", "requester@example.org", "daily"),
]
MAIL_SINCE = DAY * 2
