"""Play the demo network (``mutualaid.demo.data``) through the services, as the site would write it.

Every row is written by a service (or, for the founder, by ``create_superuser``, the door
``manage.py createsuperuser`` uses), while the clock is set to the moment that thing "happened":
the founder sets up the network eight months back, members join one vouch at a time, needs and
offers live their lives over the last three weeks, reports reach the safety officer, and the
nightly jobs (expiry, auto-confirmation) run at their hour. So every age, status, timeline and
branch of the vouch tree is one the real code, with its real rules, could have produced.

The vouch rules are met, not bent: neither are the network's vouch settings lowered for the load
nor is ``vouched_since`` back-dated. Each vouch is given on the replayed clock at least
``vouch_wait_days`` after its voucher was vouched, and a voucher's vouches are spaced so that no 30
days hold more than ``vouch_limit`` of them; ``vouch_give`` checks both, and would refuse (failing
the load) otherwise.

The clock is moved with ``unittest.mock`` rather than time_machine, which is a test-only
dependency (``make demo`` installs the runtime ones alone).

Planning reads only the data (handles, names, summaries); the script resolves them to rows when
each step runs. The network is the same on every load (a seeded random).
"""

import random
from contextlib import ExitStack, contextmanager
from datetime import datetime, time, timedelta
from functools import partial
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from mutualaid.accounts.models import Delivery, DeliveryStatus, Member
from mutualaid.accounts.services import member_set_languages, member_sign_up, member_update
from mutualaid.accounts.tasks import deliver
from mutualaid.aid import resources, triage
from mutualaid.aid import services as aid
from mutualaid.aid.models import Category, Need, NeedStatus, Offer, OfferKind, Visibility
from mutualaid.areas.models import Area
from mutualaid.areas.services import area_save
from mutualaid.dispatch import intake
from mutualaid.figures import services as figures_services
from mutualaid.network.models import NetworkSettings
from mutualaid.network.services import network_settings_update
from mutualaid.notifications import selectors as notification_choices
from mutualaid.notifications.models import EMAIL, Digest, DigestStatus, Mode
from mutualaid.notifications.services import preferences_set
from mutualaid.notifications.tasks import send_digests
from mutualaid.safety import services as safety
from mutualaid.safety.models import Report
from mutualaid.trust import services as trust

from . import data
from .data import (
    ASKS,
    BOTH,
    CLAIM_DELAY,
    DAY,
    HELPS,
    HOUR,
    MINUTE,
    OPEN_AGE,
    WORK_DELAY,
    R,
    V,
)

SENSITIVE = {"funds", "housing", "prescriptions"}
FOUNDER = next(handle for handle, _, _, came in data.MEMBERS if came[0] == "founder")
LOGIN_HANDLES = {handle for handle, _ in data.LOGINS}
# How long after being asked (a dispatcher's match, an offer taken up) a volunteer accepts.
ANSWER_AFTER = timedelta(minutes=25)
# How soon the triager puts on the board a need that triage has no questions about.
TRIAGE_AFTER = timedelta(minutes=3)
TRIAGER = "triage.tam"


# What a database must hold none of before the demo is loaded into it.
MUST_BE_EMPTY = {"members": Member, "areas": Area, "needs": Need, "offers": Offer}


def is_loaded() -> bool:
    """Whether this database holds the demo: its founder, in the network it named."""
    return (
        Member.objects.filter(handle__iexact=FOUNDER).exists()
        and NetworkSettings.objects.filter(name=data.NETWORK["name"]).exists()
    )


def refuse_to_mix() -> None:
    """Fail cleanly, before writing anything, rather than mix the demo with other records."""
    found = [
        f"{name}: {count}"
        for name, model in MUST_BE_EMPTY.items()
        if (count := model.objects.count())
    ]
    if found:
        raise CommandError(
            f"load_demo fills an empty database, but this one already holds {', '.join(found)}. "
            "(A demo loaded by an older version? Remove var/mutualaid.sqlite3 to start afresh.)"
        )


# --- The clock ----------------------------------------------------------------------------------


def _timestamp_fields():
    """Every model field stamped with `default=timezone.now`."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is timezone.now
    ]


@contextmanager
def clock_at(moment, fields):
    """Make it `moment` for the services and for the models' timestamps, for one step.

    The services read the clock as `timezone.now()` when they run, so patching the module attribute
    reaches them. A field's `default=timezone.now` holds the function itself, which that patch
    cannot reach, so each such field's `get_default` is patched too.
    """

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
        fields = _timestamp_fields()
        for when, _, action in sorted(self.steps, key=lambda step: step[:2]):
            with clock_at(when, fields):
                action()


# --- A need's life, and an offer's -------------------------------------------------------------


class Story:
    """One need's life: what happens to it, and how long after it was posted. People are handles
    until the step runs; ``R`` is the requester, ``V`` whoever holds the need at that step."""

    def __init__(self, demo, **fields):
        self.demo = demo
        self.fields = fields  # need_post's arguments, by handle and name
        self.steps = []  # (time after posting, action taking the need)
        self.elapsed = timedelta(0)
        self.fulfilled_after = None
        self.volunteer = None  # the handle holding it, as the steps so far leave it
        self.offers = []  # (time after posting, offer plan) for each take-up of an offer
        self.pk = None
        # Its steps publish, merge or decline it: triage is told by hand (else a need posted
        # while triage is on is put on the board within minutes by the triager, see schedule).
        self.triaged = False

    @property
    def requester(self):
        """The requester's handle: a caller's is theirs once the organizer has taken the call."""
        caller = self.fields.get("caller")
        return caller[0] if caller else self.fields["requester"]

    def who(self, handle):
        return {R: self.requester, V: self.volunteer}.get(handle, handle)

    def then(self, after, action):
        self.elapsed += after
        self.steps.append((self.elapsed, action))
        return self

    def claim(self, after, volunteer):
        self.volunteer = volunteer
        return self.then(after, lambda m, need: aid.need_claim(need=need, member=m(volunteer)))

    def assign(self, after, volunteer, organizer):
        """An organizer asks the volunteer, who accepts a little later."""
        self.volunteer = volunteer
        self.then(
            after,
            lambda m, need: aid.need_assign(
                need=need, volunteer=m(volunteer), organizer=m(organizer)
            ),
        )
        return self.accept(volunteer)

    def match(self, after, offer):
        """The requester takes up an offer; its offerer accepts a little later."""
        self.volunteer = offer.offerer
        self.then(
            after,
            lambda m, need: aid.need_match_offer(
                need=need, offer=offer.fetch(), member=m(self.requester)
            ),
        )
        self.offers.append((self.elapsed, offer))
        return self.accept(offer.offerer)

    def propose(self, after, volunteer, organizer):
        """An organizer asks the volunteer, who has not answered yet."""
        return self.then(
            after,
            lambda m, need: aid.need_assign(
                need=need, volunteer=m(volunteer), organizer=m(organizer)
            ),
        )

    def accept(self, volunteer, after=ANSWER_AFTER):
        return self.then(
            after, lambda m, need: aid.need_proposal_accept(need=need, member=m(volunteer))
        )

    def say(self, after, sender, body):
        sender = self.who(sender)

        def send(m, need):
            self.demo.messages[body] = aid.message_send(need=need, sender=m(sender), body=body)

        return self.then(after, send)

    def share(self, after, kind, value):
        return self.then(
            after,
            lambda m, need: aid.contact_share(
                need=need, member=m(self.requester), kind=kind, value=value
            ),
        )

    def release(self, after):
        volunteer, self.volunteer = self.volunteer, None
        return self.then(after, lambda m, need: aid.need_release(need=need, member=m(volunteer)))

    def fulfil(self, after):
        volunteer = self.volunteer
        self.then(after, lambda m, need: aid.need_mark_fulfilled(need=need, member=m(volunteer)))
        self.fulfilled_after = self.elapsed
        return self

    # Triage and the phone line.

    def publish(self, after, triager):
        self.triaged = True  # its steps say what triage did with it
        return self.then(after, lambda m, need: triage.publish(need=need, by=m(triager)))

    def prioritise(self, after, triager, priority):
        return self.then(
            after,
            lambda m, need: triage.set_priority(need=need, by=m(triager), priority=priority),
        )

    def ask(self, after, triager, question):
        return self.then(
            after, lambda m, need: triage.ask_more(need=need, by=m(triager), question=question)
        )

    def answer(self, after, text):
        return self.then(
            after,
            lambda m, need: triage.answer_more(need=need, member=m(self.requester), text=text),
        )

    def note(self, after, organizer, text):
        return self.then(
            after, lambda m, need: triage.note_add(need=need, by=m(organizer), body=text)
        )

    def merge(self, after, triager, summary):
        self.triaged = True

        def merge(m, need):
            into = Need.objects.get(pk=self.demo.needs[summary])
            triage.merge(need=need, by=m(triager), into=into)

        return self.then(after, merge)

    def decline(self, after, triager, reason, resources):
        self.triaged = True
        return self.then(
            after,
            lambda m, need: triage.decline(
                need=need, by=m(triager), reason=reason, resources=resources
            ),
        )

    def relay(self, after, organizer, body):
        def relay(m, need):
            self.demo.messages[body] = intake.relay_reply(
                need=need, organizer=m(organizer), body=body
            )

        return self.then(after, relay)

    def _requester_does(self, after, service):
        self.volunteer = None
        return self.then(after, lambda m, need: service(need=need, member=m(self.requester)))

    def confirm(self, after):
        return self._requester_does(after, aid.need_confirm)

    def reopen(self, after):
        return self._requester_does(after, aid.need_reopen)

    def cancel(self, after):
        return self._requester_does(after, aid.need_cancel)

    def schedule(self, script, posted_at, *, triage_by=None):
        """``triage_by``: the triager who puts it on the board a few minutes after it is posted,
        if it waits for triage then and its own steps do not triage it."""
        demo, fields = self.demo, self.fields

        def post():
            values = {
                **fields,
                "category": demo.categories[fields["category"]],
                "area": demo.areas[fields["area"]],
            }
            if "caller" in values:  # an organizer takes the call (proxy intake)
                handle, kind, contact = values.pop("caller")
                organizer = demo.member(values.pop("taken_in_by"))
                known = demo.members.get(handle)
                need, _ = intake.need_take_in(
                    organizer=organizer,
                    caller=getattr(known, "proxy", None),
                    handle=handle,
                    contact_kind=kind,
                    contact=contact,
                    consent=True,
                    **values,
                )
                demo.members[handle] = need.requester
            else:
                need = aid.need_post(**{**values, "requester": demo.member(fields["requester"])})
            self.pk = demo.needs[need.summary] = need.pk

        def publish():
            need = Need.objects.get(pk=self.pk)
            if need.status == NeedStatus.TRIAGE:  # not the next of a repeating need
                triage.publish(need=need, by=demo.member(triage_by))

        def act(action):
            # Fetched afresh: a nightly job may have moved the need since the last step.
            return lambda: action(demo.member, Need.objects.get(pk=self.pk))

        script.at(posted_at, post)
        if triage_by is not None and not self.triaged:
            script.at(posted_at + TRIAGE_AFTER, publish)
        for after, action in self.steps:
            script.at(posted_at + after, act(action))
        for after, offer in self.offers:
            offer.taken_up(posted_at + after)


class OfferPlan:
    """An offer (a row of data.HAND_OFFERS): by handle, category slugs and area names."""

    def __init__(self, demo, offerer, categories, areas, kind, available_days, summary, posted):
        self.demo = demo
        self.offerer = offerer
        self.categories, self.areas = categories, areas
        self.fields = dict(summary=summary, kind=kind, available_days=available_days)
        self.posted = posted  # how long ago, or None: the loader draws a time
        self.pk = None
        self.first_taken_up = None

    @property
    def summary(self):
        return self.fields["summary"]

    def taken_up(self, when):
        if self.first_taken_up is None or when < self.first_taken_up:
            self.first_taken_up = when

    def fetch(self):
        return Offer.objects.get(pk=self.pk)

    def schedule(self, script, posted_at, withdrawn_at=None):
        demo = self.demo

        def post():
            offer = aid.offer_post(
                offerer=demo.member(self.offerer),
                categories=[demo.categories[slug] for slug in self.categories],
                areas=[demo.areas[name] for name in self.areas],
                **self.fields,
            )
            self.pk = demo.offers[offer.summary] = offer.pk

        script.at(posted_at, post)
        if withdrawn_at is not None:
            script.at(
                withdrawn_at,
                lambda: aid.offer_withdraw(offer=self.fetch(), member=demo.member(self.offerer)),
            )


# --- The demo -----------------------------------------------------------------------------------


class Demo:
    def __init__(self, now):
        self.now = now
        self.start = (now - data.FOUNDED).replace(hour=9, minute=0, second=0, microsecond=0)
        self.rng = random.Random(data.SEED)
        self.script = Script(now)
        # Filled in as the script runs: rows by handle, name, slug, summary or message body.
        self.members, self.areas, self.categories = {}, {}, {}
        self.needs, self.offers, self.messages, self.invites = {}, {}, {}, {}
        self.home = {handle: home for handle, home, _, _ in data.MEMBERS}
        self.near = self._near()

    def member(self, handle):
        return self.members[handle]

    def hours(self, low, high):
        """A random span between `low` and `high` hours, to the second."""
        return timedelta(seconds=round(self.rng.uniform(low, high) * 3600))

    def minutes(self, low, high):
        return self.hours(low / 60, high / 60)

    def ago(self, span):
        return (self.now - span).replace(microsecond=0)

    def load(self):
        self.found_the_network()
        self.grow_the_membership()
        self.plan_offers()
        self.tell_the_stories()
        self.tell_the_rest()
        self.schedule_offers()
        self.schedule_safety()
        self.schedule_nightly_jobs()
        self.schedule_mail_choices()
        self.schedule_triage()
        self.script.run()
        # The figures are counted as housekeeping would count them, so the dashboard and the
        # public page show the demo's story at once.
        figures_services.figures_rebuild()
        return self.deliver_mail()

    # The network and its people.

    @staticmethod
    def _near():
        near = {name: {name} for name, _ in data.AREAS}
        for one, other in data.BORDERS:
            near[one].add(other)
            near[other].add(one)
        for name, parent in data.AREAS:
            if parent:  # a neighborhood and its district are near each other
                near[name].add(parent)
                near[parent].add(name)
        return near

    def found_the_network(self):
        """The founder's first hour: the areas, their account, the settings, the kinds of help."""

        def found():
            self.members[FOUNDER] = founder = Member.objects.create_superuser(
                FOUNDER, self.password(FOUNDER)
            )
            for name, parent in data.AREAS:  # each with its borders to the areas saved before
                borders = {b for a, b in data.BORDERS if a == name}
                borders |= {a for a, b in data.BORDERS if b == name}
                self.areas[name] = area_save(
                    name=name,
                    parent=self.areas.get(parent),
                    neighbors=[self.areas[b] for b in sorted(borders) if b in self.areas],
                    by=founder,
                )
            member_update(member=founder, email="", home_area=self.areas[self.home[FOUNDER]])
            network_settings_update(by=founder, **data.NETWORK)
            for name in data.CATEGORIES:
                aid.category_add(name=name, by=founder)
            self.categories.update({c.slug: c for c in Category.objects.all()})
            self.grant_roles(FOUNDER)

        self.script.at(self.start, found)
        self.script.at(self.start + data.RESOURCES_AFTER, self.list_the_resources)

    def list_the_resources(self):
        """The founder lists where else to turn: the resource directory."""
        for name, kind, areas, slugs, hours, phone, link, description in data.RESOURCES:
            resources.resource_create(
                by=self.member(FOUNDER),
                name=name,
                kind=kind,
                description=description,
                hours=hours,
                link=link,
                phone=phone,
                areas=[self.areas[area] for area in areas],
                categories=[self.categories[slug] for slug in slugs],
            )

    @staticmethod
    def password(handle):
        return data.PASSWORD if handle in LOGIN_HANDLES else None

    def sign_up(self, handle):
        self.members[handle] = member_sign_up(
            handle=handle, password=self.password(handle), home_area=self.areas[self.home[handle]]
        )

    def grant_roles(self, handle):
        for role in data.ROLES.get(handle, []):
            trust.role_grant(member=self.member(handle), role=role, by=self.member(FOUNDER))

    def grow_the_membership(self):
        """Sign-ups, approvals, vouches and invitations, each at its moment (see the docstring)."""
        at = self.script.at
        wait = DAY * (data.NETWORK["vouch_wait_days"] + 1)
        spacing = DAY * 30 / data.NETWORK["vouch_limit"] + DAY
        vouched_at = {FOUNDER: self.start}
        given = {}  # voucher: when they last vouched
        cursor = self.start  # the founders join one after another
        for handle, _, _, (how, *rest) in data.MEMBERS:
            if how == "approved by":
                cursor += self.hours(4, 20)
                approver, approved = rest[0], cursor + self.hours(1, 5)
                at(cursor, partial(self.sign_up, handle))
                at(approved, partial(self.approve, handle, approver))
                at(approved + MINUTE * 30, partial(self.grant_roles, handle))
                vouched_at[handle] = approved
            elif how in ("vouched by", "invited by"):
                voucher, note = rest
                when = vouched_at[voucher] + wait
                if voucher in given:
                    when = max(when, given[voucher] + spacing)
                when += self.hours(0, 24 * 5)
                if how == "vouched by":  # they joined a few days before
                    at(when - self.hours(24, 24 * 6), partial(self.sign_up, handle))
                    at(when, partial(self.vouch, voucher, handle, note))
                else:  # the invitation is a vouch, given when they join with it
                    at(when, partial(self.invite, voucher, handle, note))
                    when += self.hours(2, 24 * 4)
                    at(when, partial(self.join_by_invite, handle))
                given[voucher] = vouched_at[handle] = when
            elif how == "newcomer":
                at(self.ago(rest[0]), partial(self.sign_up, handle))
            if handle in vouched_at and vouched_at[handle] > self.now - data.HISTORY - DAY * 3:
                raise CommandError(
                    f"{handle} would be vouched too late to help with the demo's needs: "
                    "make the vouch tree shallower or data.FOUNDED longer."
                )

    def schedule_triage(self):
        """Members say which languages they speak; this morning, the founder sends new needs to
        triage first."""
        for handle, languages in data.LANGUAGES.items():
            self.script.at(
                self.ago(data.HISTORY),
                partial(self.speak, handle, languages),
            )

        def triage_first():
            network_settings_update(by=self.member(FOUNDER), triage_first=True)

        self.script.at(self.ago(data.TRIAGE_SINCE) - MINUTE, triage_first)

    def speak(self, handle, languages):
        member_set_languages(member=self.member(handle), languages=languages)

    def approve(self, handle, approver):
        trust.member_approve(member=self.member(handle), by=self.member(approver))

    def vouch(self, voucher, vouchee, note):
        trust.vouch_give(voucher=self.member(voucher), vouchee=self.member(vouchee), note=note)

    def invite(self, inviter, handle, note):
        self.invites[handle] = trust.invite_create(inviter=self.member(inviter), note=note)

    def join_by_invite(self, handle):
        self.sign_up(handle)
        trust.invite_use(invite=self.invites[handle], member=self.member(handle))

    def pool(self, *does):
        return [handle for handle, _, what, _ in data.MEMBERS if what in does]

    def near_helpers(self, area, *, besides):
        helpers = [
            handle
            for handle in self.helpers
            if self.home[handle] in self.near[area] and handle != besides
        ]
        return helpers if len(helpers) >= 2 else [h for h in self.helpers if h != besides]

    # Offers.

    def plan_offers(self):
        self.askers = self.pool(ASKS, BOTH)
        self.helpers = self.pool(HELPS, BOTH)
        self.askers.remove("requester")  # the personas' stories are told by hand
        self.offer_plans = []
        for slugs, kind, days, summary in data.OFFERS:  # each by a helper drawn at random
            offerer = self.rng.choice(self.helpers)
            home = self.home[offerer]
            names = sorted(self.near[home]) if kind == OfferKind.ONGOING else [home]
            plan = OfferPlan(self, offerer, slugs, names, kind, days, summary, None)
            self.offer_plans.append(plan)
        self.hand_offers = [OfferPlan(self, *row) for row in data.HAND_OFFERS]
        self.offer_plans += self.hand_offers
        self.offer_by_summary = {offer.summary: offer for offer in self.offer_plans}

    def schedule_offers(self):
        untaken = [
            offer
            for offer in self.offer_plans
            if offer.first_taken_up is None and offer not in self.hand_offers
        ]
        withdrawn = set(self.rng.sample(untaken, 6))
        for offer in self.offer_plans:
            if offer.posted is not None:
                offer.schedule(self.script, self.ago(offer.posted))
                continue
            posted = self.now - self.hours(2, 24 * 24)
            if offer.first_taken_up is not None:  # posted before anyone took it up
                posted = min(posted, offer.first_taken_up - self.hours(3, 96))
            withdrawn_at = None
            if offer in withdrawn:
                withdrawn_at = min(posted + self.hours(12, 24 * 9), self.now - HOUR)
            offer.schedule(self.script, posted.replace(microsecond=0), withdrawn_at)

    # Needs: the stories told by hand, then the NEEDS, each given one of the FATES.

    def triage_by(self, posted):
        """The triager who looks at a need posted at ``posted``, if triage was on by then."""
        return TRIAGER if posted >= self.ago(data.TRIAGE_SINCE) else None

    def tell_the_stories(self):
        for spec in data.STORIES + data.TRIAGED:
            fields = {k: v for k, v in spec.items() if k not in ("posted", "steps", "needed_by")}
            posted = self.ago(spec["posted"])
            if spec.get("needed_by") is not None:
                fields["needed_by"] = timezone.localdate(posted) + spec["needed_by"]
            story = Story(self, **fields)
            story.triaged = spec in data.TRIAGED  # what triage did is told by hand
            for verb, after, *args in spec["steps"]:
                if verb == "match":
                    args = [self.offer_by_summary[args[0]]]
                getattr(story, verb)(after, *args)
            story.schedule(self.script, posted, triage_by=self.triage_by(posted))

    def tell_the_rest(self):
        taken_up = {
            need: (self.offer_by_summary[offer], fate) for need, offer, fate in data.TAKEN_UP
        }
        fates = data.FATES[:]
        self.rng.shuffle(fates)
        fates = iter(fates)
        privacy_dice = random.Random(data.SEED + 1)
        for slug, urgency, summary, details in data.NEEDS:
            offer, fate = taken_up.get(summary, (None, None))
            if offer is None:
                fate = next(fates)
                requester = self.rng.choice(self.askers)
            else:  # someone the offer reaches
                reached = [
                    asker
                    for asker in self.askers
                    if self.home[asker] in offer.areas and asker != offer.offerer
                ]
                requester = self.rng.choice(reached or self.askers)
            area = self.home[requester]
            if offer is None and self.rng.random() < 0.15:  # posted for somewhere nearby
                area = self.rng.choice(sorted(self.near[area] - {area}))
            note = self.rng.choice(data.ACCESS_NOTES)
            # Money, housing and health are asked for without a handle more often than not;
            # some of those unclaimed go to organizers only. (A separate dice: same network.)
            sensitive = slug in SENSITIVE and privacy_dice.random() < 0.6
            hidden = sensitive and offer is None and fate in ("cancelled", "expired")
            story = Story(
                self,
                requester=requester,
                category=slug,
                area=area,
                summary=summary,
                details=f"{details} {note}".strip(),
                urgency=urgency,
                anonymous=sensitive,
                visibility=Visibility.ORGANIZERS if hidden else Visibility.MEMBERS,
            )
            self.tell(story, fate, offer)

    def conversation(self, story, *, lines=None, offer=None):
        thread = self.rng.choice(data.OFFER_THREADS if offer else data.THREADS)
        for who, body in thread[:lines]:
            story.say(self.minutes(4, 70), who, body)

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
            self.conversation(story, lines=1)
            story.say(self.hours(2, 30), V, rng.choice(data.RELEASE_NOTES))
            story.release(self.minutes(1, 10))
        elif fate == "reopened":
            take_on()
            self.conversation(story)
            story.fulfil(work_delay)
            story.say(self.hours(1, 20), R, rng.choice(data.REOPEN_NOTES))
            story.reopen(self.minutes(1, 5))
        elif fate == "claimed":
            take_on()
            if offer or rng.random() < 0.7:
                self.conversation(story, offer=offer)
        elif fate in ("fulfilled", "closed", "closed_auto"):
            if fate == "closed" and offer is None and rng.random() < 0.25:
                # A first volunteer had to drop it before another one did it.
                story.claim(claim_delay, second)
                story.say(self.hours(1, 12), V, rng.choice(data.RELEASE_NOTES))
                story.release(self.minutes(1, 10))
                claim_delay = self.hours(*CLAIM_DELAY[urgency])
            take_on()
            if fate != "closed_auto" or rng.random() < 0.5:
                self.conversation(story, offer=offer)
            story.fulfil(work_delay)
            if fate != "closed_auto":
                story.say(self.minutes(2, 30), V, rng.choice(data.DONE_NOTES))
            if fate == "closed":
                if rng.random() < 0.6:
                    story.say(self.hours(0.5, 20), R, rng.choice(data.THANKS))
                story.confirm(self.minutes(1, 90))
        elif fate == "cancelled":
            story.cancel(self.hours(2, 48))
        elif fate == "cancelled_claimed":
            story.claim(claim_delay, first)
            self.conversation(story, lines=1)
            story.say(self.hours(1, 24), R, rng.choice(data.CANCEL_NOTES))
            story.cancel(self.minutes(1, 5))
        # "open" and "expired" needs just wait: the nightly job expires the latter.

        posted = self.posted_at(story, fate)
        story.schedule(self.script, posted, triage_by=self.triage_by(posted))

    def posted_at(self, story, fate):
        """When to post the need so that its whole story fits in the past and ends as told."""
        urgency, rng, now = story.fields["urgency"], self.rng, self.now
        span, margin = story.elapsed, timedelta(minutes=10)
        low, high = span + margin, data.HISTORY
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

    # Safety, and the nightly jobs.

    def subject(self, kind, key):
        if kind == "member":
            return self.member(key)
        if kind == "need":
            return Need.objects.get(pk=self.needs[key])
        if kind == "offer":
            return Offer.objects.get(pk=self.offers[key])
        return self.messages[key]

    def schedule_safety(self):
        for row in data.REPORTS:
            self.schedule_report(*row)
        for blocker, blocked, ago in data.BLOCKS:
            self.script.at(self.ago(ago), partial(self.block, blocker, blocked))

    def schedule_report(self, reporter, subject, reason, details, ago, handling):
        filed = {}

        def file():
            kind, key = subject
            filed["pk"] = safety.report_file(
                reporter=self.member(reporter),
                reason=reason,
                details=details,
                **{kind: self.subject(kind, key)},
            ).pk

        def handle():
            officer, action, note, _ = handling
            safety.report_handle(
                report=Report.objects.get(pk=filed["pk"]),
                officer=self.member(officer),
                action=action,
                note=note,
            )

        self.script.at(self.ago(ago), file)
        if handling is not None:
            self.script.at(self.ago(ago) + handling[-1], handle)

    def block(self, blocker, blocked):
        safety.member_block(blocker=self.member(blocker), blocked=self.member(blocked))

    def schedule_nightly_jobs(self):
        """The worker's nightly pass, at 2:30 each night of the replayed past."""
        day = timezone.localdate(self.now - data.HISTORY - DAY * 2)
        while True:
            run_at = timezone.make_aware(datetime.combine(day, time(2, 30)))
            if run_at >= self.now:
                break
            self.script.at(run_at, lambda run_at=run_at: self.nightly(run_at))
            day += DAY

    @staticmethod
    def nightly(run_at):
        aid.needs_expire(now=run_at)
        aid.needs_auto_confirm(now=run_at)

    # Mail: a few members give an email and choose how to hear; the worker's round sends it.

    def schedule_mail_choices(self):
        chosen_at = self.ago(data.MAIL_SINCE)
        for handle, email, mode in data.MAIL:
            self.script.at(chosen_at, partial(self.choose_mail, handle, email, mode))

    def choose_mail(self, handle, email, mode):
        """Their choice for every kind first, then the address: nothing is sent by a default."""
        member = self.member(handle)
        kinds = notification_choices.choosable_kinds()
        preferences_set(member=member, modes={(kind, EMAIL): Mode(mode) for kind in kinds})
        member_update(member=member, email=email, home_area=member.home_area)

    @staticmethod
    def deliver_mail():
        """What the worker would do next, now: send the outbox's due emails (handed their row ids,
        as `notify` hands them) and the daily digests. Returns (emails, digests) sent."""
        waiting = Delivery.objects.filter(channel=EMAIL, status=DeliveryStatus.PENDING)
        emails = deliver.call(list(waiting.order_by("pk").values_list("pk", flat=True)))
        send_digests.call()
        digests = Digest.objects.filter(status=DigestStatus.SENT, notice_count__gt=0).count()
        return emails, digests
