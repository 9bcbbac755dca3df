"""A session is an idle limit, written rarely: a page the member opens renews it (saves it and moves
its expiry on) when it was last renewed more than SESSION_RENEW_AFTER ago, and not otherwise; a
need's open page polls every 4 seconds, and the polls neither write the session row nor keep an idle
session alive."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Session
from mutualaid.test import BaseTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}
POLLS = 10


def session_writes(queries):
    return [
        query["sql"]
        for query in queries.captured_queries
        if "accounts_session" in query["sql"] and not query["sql"].lstrip().startswith("SELECT")
    ]


class PollLeavesSessionAloneTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        need = self.claimed_need()
        self.client.force_login(self.requester)
        self.page = reverse("aid:need", args=[need.code])
        self.poll_url = reverse("aid:need_changed", args=[need.code])
        self.start = timezone.now()
        self.client.get(self.page)

    def poll(self):
        return self.client.get(self.poll_url, {"since": "stale"}, **HTMX)

    def session(self):
        return Session.objects.get(session_key=self.client.session.session_key)

    def test_polls_write_no_session_row_and_do_not_move_its_expiry(self):
        expiry = self.session().expire_date
        with CaptureQueriesContext(connection) as queries:
            for minute in range(1, POLLS + 1):
                with time_machine.travel(self.start + timedelta(minutes=minute), tick=False):
                    response = self.poll()
                self.assertContains(response, 'id="need-panel"')  # a real answer, not a refusal
                self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)
                self.assertIn("Cookie", response["Vary"])  # it read the session all the same
        self.assertEqual(session_writes(queries), [])
        self.assertEqual(self.session().expire_date, expiry)

    def test_pages_opened_within_the_renewal_time_write_no_session_row(self):
        expiry = self.session().expire_date
        renew = timedelta(seconds=settings.SESSION_RENEW_AFTER)
        with CaptureQueriesContext(connection) as queries:
            for minute in range(1, POLLS + 1):
                moment = self.start + renew * minute / (POLLS + 1)
                with time_machine.travel(moment, tick=False):
                    response = self.client.get(self.page)
                self.assertContains(response, 'id="need-panel"')
                self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)
        self.assertEqual(session_writes(queries), [])
        self.assertEqual(self.session().expire_date, expiry)

    def test_a_page_the_member_opens_saves_the_session_and_moves_its_expiry(self):
        expiry = self.session().expire_date
        with (
            time_machine.travel(self.start + timedelta(hours=2), tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            response = self.client.get(self.page)
        self.assertIn(settings.SESSION_COOKIE_NAME, response.cookies)
        self.assertNotEqual(session_writes(queries), [])
        self.assertGreaterEqual(self.session().expire_date, expiry + timedelta(minutes=119))

    def test_a_member_active_every_day_stays_logged_in_past_the_cookie_age(self):
        age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
        for day in range(1, age.days + 5):
            with time_machine.travel(self.start + timedelta(days=day), tick=False):
                self.assertContains(self.client.get(self.page), 'id="need-panel"')

    def test_a_session_left_polling_ends_when_it_would_have_anyway(self):
        age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
        with time_machine.travel(self.start + age - timedelta(minutes=1), tick=False):
            self.assertContains(self.poll(), 'id="need-panel"')
        with time_machine.travel(self.start + age + timedelta(minutes=1), tick=False):
            self.assertEqual(self.poll()["HX-Refresh"], "true")  # logged out: the page reloads
