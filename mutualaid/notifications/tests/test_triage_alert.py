"""A new need waiting for triage reaches the organizers who triage, and nobody else; once it is
published, those who match hear of it as a new need."""

from mutualaid.accounts.models import Notice
from mutualaid.aid import triage
from mutualaid.network.models import NetworkSettings
from mutualaid.notifications import alerts
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role


def handles(kind: str) -> list[str]:
    return sorted(Notice.objects.filter(kind=kind).values_list("member__handle", flat=True))


class TriageAlertTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tess", roles=[Role.TRIAGER])
        cls.dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        cls.admin = make_member("ada", roles=[Role.ADMIN])

    def setUp(self):
        super().setUp()
        NetworkSettings.load()
        NetworkSettings.objects.update(triage_first=True)

    def test_a_new_need_waiting_for_triage_reaches_the_triagers_alone(self):
        with self.captureOnCommitCallbacks(execute=True):
            need = self.post_need()
        self.assertEqual(handles("need_awaits_triage"), ["tess"])
        self.assertEqual(handles("need_waiting"), [])  # not on the board: nothing to match yet
        self.assertEqual(handles("need_opened"), [])
        notice = Notice.objects.get(kind="need_awaits_triage")
        self.assertEqual(notice.params, {"need": str(need.code), "summary": need.summary})

    def test_published_it_reaches_those_who_match_as_a_new_need(self):
        need = self.post_need()
        with self.captureOnCommitCallbacks(execute=True):
            triage.publish(need=need, by=self.triager)
        self.assertEqual(handles("need_waiting"), ["dex", "olga", "tess"])

    def test_a_need_no_longer_waiting_is_not_told(self):
        need = self.post_need()
        triage.publish(need=need, by=self.triager)
        self.assertEqual(alerts.need_triage_tell(need_id=need.pk), 0)

    def test_a_triager_who_posts_a_need_is_not_told_of_their_own(self):
        self.post_need(requester=self.triager)
        need = self.post_need(requester=self.triager)
        self.assertEqual(alerts.need_triage_tell(need_id=need.pk), 0)
