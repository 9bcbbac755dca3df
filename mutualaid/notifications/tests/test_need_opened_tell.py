"""A need that opens reaches the volunteers who opted in and fit it, and nobody else; at most their
number a day, never in their quiet hours."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings

from mutualaid.accounts.models import Delivery, DeliveryStatus, Notice
from mutualaid.aid import services as aid
from mutualaid.aid.models import Visibility
from mutualaid.notifications import alerts
from mutualaid.notifications.models import EMAIL, NeedAlert
from mutualaid.notifications.tests.servers import SMTPServer
from mutualaid.test import CANARY, BaseTestCase, make_member
from mutualaid.trust.models import Level

SITE = "https://aid.example.org"
# A Monday, 10:00 in the network's time zone (UTC unless TIME_ZONE says otherwise).
MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("UTC"))


def told(member) -> int:
    return Notice.objects.filter(member=member, kind="need_opened").count()


@override_settings(SITE_URL=SITE)
class NeedOpenedTellTestCase(BaseTestCase):
    def setUp(self):
        # vic lives in Central, beside the need's Northside; he offers groceries.
        alerts.need_alerts_set(
            member=self.volunteer, enabled=True, categories=[self.groceries], per_day=3
        )

    def post(self, **fields):
        with self.captureOnCommitCallbacks(execute=True):
            return self.post_need(**fields)

    def test_an_opted_in_neighbor_who_offers_that_kind_of_help_hears_of_it(self):
        need = self.post()
        notice = Notice.objects.get(member=self.volunteer, kind="need_opened")
        self.assertEqual(notice.params["need"], str(need.code))
        self.assertEqual(notice.url, f"/needs/{need.code}/")

    def test_nobody_else_hears_of_it(self):
        # otto is vouched and opted in, but lives two areas away; una is near but did not opt in;
        # kit is near and opted in for rides only; nell is near, opted in, but a newcomer.
        alerts.need_alerts_set(
            member=self.outsider, enabled=True, categories=[self.groceries], per_day=3
        )
        make_member("una", area=self.north)
        kit = make_member("kit", area=self.north)
        alerts.need_alerts_set(member=kit, enabled=True, categories=[self.rides], per_day=3)
        nell = make_member("nell", area=self.north, level=Level.NEWCOMER)
        alerts.need_alerts_set(member=nell, enabled=True, categories=[self.groceries], per_day=3)
        self.post()
        told_to = Notice.objects.filter(kind="need_opened").values_list("member__handle")
        self.assertEqual(list(told_to), [("vic",)])

    def test_a_member_who_turned_it_off_hears_nothing(self):
        alerts.need_alerts_set(
            member=self.volunteer, enabled=False, categories=[self.groceries], per_day=3
        )
        self.post()
        self.assertEqual(told(self.volunteer), 0)

    def test_an_organizers_only_need_is_never_sent_to_volunteers(self):
        self.post(visibility=Visibility.ORGANIZERS)
        self.assertEqual(told(self.volunteer), 0)

    def test_a_reposted_need_is_told_again(self):
        need = self.post()
        with self.captureOnCommitCallbacks(execute=True):
            aid.need_cancel(need=need, member=self.requester)
            again = aid.need_repost(need=need, member=self.requester)
        self.assertEqual(told(self.volunteer), 2)
        self.assertTrue(NeedAlert.objects.filter(member=self.volunteer, need=again).exists())

    def test_a_need_back_on_the_board_is_told_but_not_to_who_released_it(self):
        need = self.post()
        sam = make_member("sam", area=self.north)
        alerts.need_alerts_set(member=sam, enabled=True, categories=[self.groceries], per_day=3)
        aid.need_claim(need=need, member=self.volunteer)
        with self.captureOnCommitCallbacks(execute=True):
            aid.need_release(need=need, member=self.volunteer)
        self.assertEqual(told(self.volunteer), 1)  # the first opening only
        self.assertEqual(told(sam), 1)  # only now: sam opted in after it was posted

    def test_the_same_opening_is_told_once_should_the_task_run_twice(self):
        need = self.post()
        self.assertEqual(alerts.need_opened_tell(need_id=need.pk), 0)
        self.assertEqual(told(self.volunteer), 1)

    def test_at_most_their_number_a_day_and_again_the_next_day(self):
        alerts.need_alerts_set(
            member=self.volunteer, enabled=True, categories=[self.groceries], per_day=2
        )
        with time_machine.travel(MORNING, tick=False):
            for _ in range(3):
                self.post()
        self.assertEqual(told(self.volunteer), 2)
        with time_machine.travel(MORNING + timedelta(hours=13), tick=False):  # 23:00, same day
            self.post()
        self.assertEqual(told(self.volunteer), 2)
        with time_machine.travel(MORNING + timedelta(days=1), tick=False):
            self.post()
        self.assertEqual(told(self.volunteer), 3)

    def test_nothing_in_their_quiet_hours_past_midnight(self):
        alerts.need_alerts_set(
            member=self.volunteer,
            enabled=True,
            categories=[self.groceries],
            per_day=3,
            quiet_from=22,
            quiet_until=7,
        )
        for hour in (22, 23, 0, 6):
            at = MORNING.replace(hour=hour) + timedelta(days=1 if hour < 12 else 0)
            with time_machine.travel(at, tick=False):
                self.post()
        self.assertEqual(told(self.volunteer), 0)  # dropped, not held: the board has them
        with time_machine.travel(MORNING.replace(hour=7) + timedelta(days=1), tick=False):
            self.post()
        self.assertEqual(told(self.volunteer), 1)

    def test_it_reaches_their_email_with_public_facts_only(self):
        self.volunteer.email = "vic@example.org"
        self.volunteer.save(update_fields=["email"])
        with SMTPServer() as smtp, override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp.port,
        ):
            need = self.post()
        delivery = Delivery.objects.get(notice__member=self.volunteer, channel=EMAIL)
        self.assertEqual(delivery.status, DeliveryStatus.SENT)
        self.assertEqual([recipients for recipients, _raw in smtp.messages], [["vic@example.org"]])
        raw = smtp.messages[0][1]
        self.assertIn("A need near you that you could help with", raw)
        self.assertIn(f"{SITE}/needs/{need.code}/", raw.replace("=\n", ""))
        self.assertNotIn(need.summary, raw)
        self.assertNotIn(CANARY, raw)
