"""A small network with known times, whose every figure is worked out by hand in the tests.

All in the week of Monday 2 March 2026 (UTC), but for H (January) and D (February):

- A (north, groceries): posted Mon 09:00, claimed by vic 09:30, marked done 15:00, confirmed Tue
  10:00. First claim 30 min; fulfilment 6 h (to "marked done"), counted on Tuesday.
- B (central, rides): posted Mon 10:00, claimed by rey 12:00 and released 13:00; claimed by vic
  Tue 10:00, marked done 11:00, reopened by the requester 12:00; claimed by una Wed 09:00, marked
  done 10:00, confirmed 11:00. First claim 2 h (rey's, not a later one); fulfilment 48 h (to the
  last "marked done"), rounded "2 days", counted once, on Wednesday.
- C (north, groceries): posted Mon 11:00, cancelled Tue 09:00.
- D (south, groceries): posted Sun 1 February 12:00, expired Tue 3 March 13:00.
- E (north, rides): posted Tue 14:00, declined as out of scope by a triager Tue 15:00.
- F (far, groceries, for today): posted Wed 08:00, still open: stale, 1 to 3 days old on Friday.
- H (central, groceries): posted Tue 20 January 10:00, claimed by vic 11:00, released Wed 21
  January 10:00, cancelled Thu 22 January 10:00 (so vic was active in the 30 days before).
- Feedback on A: its requester got what they needed (Tue 11:00); vic said it went well, but
  something felt unsafe (Tue 12:00).

NOW is Friday 6 March 12:00.
"""

from datetime import UTC, datetime, timedelta

import time_machine

from mutualaid.aid import services, triage
from mutualaid.aid.models import Urgency
from mutualaid.safety.services import feedback_give
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
NOW = MONDAY + timedelta(days=4, hours=12)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """``day`` days after Monday 2 March 2026, at hour:minute UTC."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def travel(moment):
    return time_machine.travel(moment, tick=False)


def build(case, *, refresh=None) -> dict:
    """Play the network through the services; ``refresh(moment)`` is called at a few moments
    along the way (to check that refreshing as it goes gives what a rebuild gives)."""
    vic = case.volunteer
    rey = make_member("rey", area=case.central)
    una = make_member("una", area=case.south)
    tess = make_member("tess", roles=[Role.TRIAGER])
    requester = case.requester
    needs = {}

    def post(**fields):  # BaseTestCase.post_need, from setUpTestData too
        return BaseTestCase.post_need(case, **fields)

    def step(moment, action):
        with travel(moment):
            return action()

    def refreshed(moment):
        if refresh is not None:
            with travel(moment):
                refresh(moment)

    h = needs["H"] = step(at(-41, 10), lambda: post(area=case.central, summary="H"))
    step(at(-41, 11), lambda: services.need_claim(need=h, member=vic))
    step(at(-40, 10), lambda: services.need_release(need=h, member=vic))
    step(at(-39, 10), lambda: services.need_cancel(need=h, member=requester))
    d = needs["D"] = step(at(-29, 12), lambda: post(area=case.south, summary="D"))
    refreshed(at(-20, 0))

    a = needs["A"] = step(at(0, 9), lambda: post(summary="A"))
    step(at(0, 9, 30), lambda: services.need_claim(need=a, member=vic))
    b = needs["B"] = step(
        at(0, 10), lambda: post(area=case.central, category=case.rides, summary="B")
    )
    c = needs["C"] = step(at(0, 11), lambda: post(summary="C"))
    step(at(0, 12), lambda: services.need_claim(need=b, member=rey))
    step(at(0, 13), lambda: services.need_release(need=b, member=rey))
    step(at(0, 15), lambda: services.need_mark_fulfilled(need=a, member=vic))
    refreshed(at(0, 23, 55))

    step(at(1, 9), lambda: services.need_cancel(need=c, member=requester))
    step(at(1, 10), lambda: services.need_confirm(need=a, member=requester))
    step(at(1, 10, 1), lambda: services.need_claim(need=b, member=vic))
    step(at(1, 11), lambda: services.need_mark_fulfilled(need=b, member=vic))
    step(
        at(1, 11, 30), lambda: feedback_give(need=a, member=requester, outcome="yes", unsafe=False)
    )
    step(at(1, 12), lambda: services.need_reopen(need=b, member=requester))
    step(
        at(1, 12, 30),
        lambda: feedback_give(need=a, member=vic, outcome="yes", unsafe=True, words="A dog."),
    )
    step(at(1, 13), lambda: services.needs_expire())
    e = needs["E"] = step(at(1, 14), lambda: post(category=case.rides, summary="E"))
    step(at(1, 15), lambda: triage.decline(need=e, by=tess, reason="Not something we do."))
    refreshed(at(1, 18))

    step(at(2, 9), lambda: services.need_claim(need=b, member=una))
    step(at(2, 10), lambda: services.need_mark_fulfilled(need=b, member=una))
    step(at(2, 11), lambda: services.need_confirm(need=b, member=requester))
    needs["F"] = step(at(2, 8), lambda: post(area=case.far, urgency=Urgency.TODAY, summary="F"))
    refreshed(NOW)
    for need in needs.values():
        need.refresh_from_db()
    needs["D"] = d
    return needs
