"""Log lines and error pages never hold private text.

conftest.py keeps every log record of every test, at DEBUG and with the SQL log on, and fails a
test whose records hold the CANARY. Here the main flows run through the client with the canary in
details, messages and shared contacts, including the requests that log the most: a form refused
(422), an action refused (409), a record not found (404) and a crash (500).
"""

import logging
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from conftest import LOG_WATCH, _fail_on_private_text
from mutualaid.aid.models import Need
from mutualaid.test import CANARY, BaseTestCase, make_member, make_released_claimant

DETAILS = f"Flat 3B, ring twice. {CANARY}"


class NoPrivateTextInLogsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.released = make_member("rey", area=cls.central)

    def as_member(self, member):
        self.client.force_login(member)
        return self.client

    def assertLogged(self, fragment):
        """The watch saw the record (so it would have seen private text in it)."""
        self.assertTrue(any(fragment in line for line in LOG_WATCH.lines), fragment)

    def assertNoPrivateTextLogged(self):
        self.assertEqual([line for line in LOG_WATCH.lines if CANARY in line], [])

    def post_need_with_the_form(self, member=None):
        response = self.as_member(member or self.requester).post(
            reverse("aid:need_new"),
            {
                "category": "groceries",
                "summary": "Groceries for a family of four",
                "details": DETAILS,
                "area": str(self.north.code),
                "urgency": "soon",
                "needed_by": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        return Need.objects.latest("pk")

    def act(self, member, name, need, data=None, status=302):
        response = self.as_member(member).post(reverse(name, args=[need.code]), data or {})
        self.assertEqual(response.status_code, status, name)
        return response

    def test_the_loop_from_post_to_close_logs_no_private_text(self):
        need = self.post_need_with_the_form()
        self.act(self.released, "aid:need_claim", need)
        self.act(self.released, "aid:need_message", need, {"body": f"On my way. {CANARY}"})
        self.act(self.released, "aid:need_release", need, {"confirm": "yes"})
        self.act(self.volunteer, "aid:need_claim", need)
        self.act(self.requester, "aid:need_message", need, {"body": f"Door code 4471 {CANARY}"})
        self.act(self.volunteer, "aid:need_message", need, {"body": f"See you at six {CANARY}"})
        contact = {"kind": "text", "value": f"Ask at the corner shop. {CANARY}"}
        self.act(self.requester, "aid:need_contact_share", need, contact)
        for member in (self.requester, self.volunteer, self.organizer):
            self.assertContains(
                self.as_member(member).get(reverse("aid:need", args=[need.code])), CANARY
            )
        self.act(self.volunteer, "aid:need_fulfil", need, {"confirm": "yes"})
        self.act(self.requester, "aid:need_confirm", need)
        self.as_member(self.requester).post(reverse("privacy:export"))
        # The SQL log was on: a private value written in plain text would be in these records.
        self.assertLogged('INSERT INTO "aid_message"')
        self.assertLogged('INSERT INTO "aid_contactshare"')
        self.assertNoPrivateTextLogged()

    def test_a_refused_form_logs_no_private_text(self):
        member = self.as_member(self.requester)
        data = {"summary": f"Call 555 0100 {CANARY}", "details": DETAILS, "area": "nowhere"}
        response = member.post(reverse("aid:need_new"), data)
        self.assertEqual(response.status_code, 422)
        need = self.claimed_need()
        empty = member.post(reverse("aid:need_message", args=[need.code]), {"body": " "})
        self.assertEqual(empty.status_code, 422)
        phone = {"kind": "phone", "value": f"not a phone {CANARY}"}
        self.act(self.requester, "aid:need_contact_share", need, phone, status=422)
        login = self.client.post(
            reverse("accounts:login"), {"username": "rosa", "password": CANARY}
        )
        self.assertEqual(login.status_code, 422)
        self.assertLogged("Unprocessable Entity")
        self.assertNoPrivateTextLogged()

    def test_a_refused_action_logs_no_private_text(self):
        need = self.post_need_with_the_form()
        make_released_claimant(need, volunteer=self.released, then=self.volunteer)
        for member in (self.organizer, self.released):
            self.act(member, "aid:need_message", need, {"body": f"Hello {CANARY}"}, status=409)
        self.assertLogged("Conflict")
        self.assertNoPrivateTextLogged()

    def test_a_record_not_found_logs_no_private_text(self):
        need = self.claimed_need()
        self.act(self.outsider, "aid:need_message", need, {"body": f"Hello {CANARY}"}, status=404)
        self.act(self.outsider, "aid:need_contact_share", need, {"value": CANARY}, status=404)
        self.assertLogged("Not Found")
        self.assertNoPrivateTextLogged()

    def test_a_crash_logs_no_private_text_and_its_page_shows_none(self):
        need = self.claimed_need()
        self.client.raise_request_exception = False
        with mock.patch(
            "mutualaid.aid.selectors.need_for_member",
            side_effect=RuntimeError("the test broke this on purpose"),
        ):
            response = self.act(
                self.requester, "aid:need_message", need, {"body": f"Hi {CANARY}"}, status=500
            )
        self.assertNotContains(response, CANARY, status_code=500)
        self.assertContains(response, "Something went wrong", status_code=500)
        self.assertLogged("Internal Server Error")
        self.assertLogged("the test broke this on purpose")  # the traceback was kept, and read
        self.assertNoPrivateTextLogged()

    @override_settings(ADMINS=[("Operator", "ops@example.org")])
    def test_the_error_report_an_operator_would_get_holds_no_private_text(self):
        need = self.claimed_need()
        self.client.raise_request_exception = False
        with mock.patch(
            "mutualaid.aid.selectors.need_for_member",
            side_effect=RuntimeError("the test broke this on purpose"),
        ):
            self.act(self.requester, "aid:need_message", need, {"body": f"Hi {CANARY}"}, status=500)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("the test broke this on purpose", mail.outbox[0].body)
        self.assertNotIn(CANARY, mail.outbox[0].body)


def test_the_watch_catches_private_text_in_a_message_a_traceback_and_a_quiet_logger(log_watch):
    logging.getLogger("mutualaid.anything").debug("details: %s", CANARY)
    try:
        raise ValueError(CANARY)
    except ValueError:
        logging.getLogger("mutualaid.anything").exception("it broke")
    logging.getLogger("django.server").info("a quiet logger")  # does not pass records up
    lines = log_watch.take()
    assert sum(CANARY in line for line in lines) == 2
    assert any("a quiet logger" in line for line in lines)
    with pytest.raises(pytest.fail.Exception, match="reached 2 log record"):
        _fail_on_private_text(lines)
