"""Every kind of the loop reaches the person concerned on every channel: the loop is played through
its services, and each person's email (real SMTP on 127.0.0.1) and chat endpoint (a local HTTP
server) receive that kind's title, and nobody else's."""

import re
from collections import defaultdict
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from mutualaid.accounts.models import Level, Role
from mutualaid.aid import services as aid
from mutualaid.notifications import services
from mutualaid.notifications.content import title
from mutualaid.notifications.tests.servers import ChatEndpoint, SMTPServer
from mutualaid.safety import services as safety
from mutualaid.safety.models import Reason, ReportAction
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services as trust

SITE = "https://aid.example.org"


@override_settings(SITE_URL=SITE)
class EveryKindEveryChannelTestCase(BaseTestCase):
    def reachable(self, member, chat):
        member.email = f"{member.handle}@example.org"
        member.save(update_fields=["email"])
        services.chat_url_set(member=member, url=chat.url(member.handle))

    def test_each_kind_reaches_its_person_by_email_and_by_chat(self):
        newt = make_member("newt", level=Level.NEWCOMER)
        officer = make_member("sofia", roles=[Role.SAFETY])
        people = [self.requester, self.volunteer, self.outsider, newt, officer]
        with (
            SMTPServer() as smtp,
            ChatEndpoint() as chat,
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=smtp.port,
            ),
        ):
            for member in people:
                self.reachable(member, chat)
            with self.captureOnCommitCallbacks(execute=True):
                need = self.post_need()
                aid.need_claim(need=need, member=self.volunteer)  # need_claimed: requester
                aid.message_send(need=need, sender=self.volunteer, body="On my way")
                aid.message_send(need=need, sender=self.requester, body="Thanks")
                aid.need_mark_fulfilled(need=need, member=self.volunteer)
                aid.need_reopen(need=need, member=self.requester)  # need_reopened: volunteer
                aid.need_claim(need=need, member=self.volunteer)
                aid.need_release(need=need, member=self.volunteer)  # need_released: requester
                aid.need_claim(need=need, member=self.volunteer)
                aid.need_mark_fulfilled(need=need, member=self.volunteer)
                aid.need_confirm(need=need, member=self.requester)  # need_confirmed: volunteer
                cancelled = self.post_need(summary="Soup on Sunday")
                aid.need_claim(need=cancelled, member=self.volunteer)
                aid.need_cancel(need=cancelled, member=self.requester)  # need_cancelled
                matched = self.post_need(summary="A lift to the clinic")
                aid.need_assign(need=matched, volunteer=self.volunteer, organizer=self.organizer)
                aid.need_proposal_decline(need=matched, member=self.volunteer)  # back to open
                self.post_need(summary="Bread on Monday")
                aid.needs_expire(now=timezone.now() + timedelta(days=400))  # need_expired
                report = safety.report_file(
                    reporter=self.outsider, reason=Reason.SPAM, member=self.volunteer
                )
                safety.report_handle(
                    report=report, officer=officer, action=ReportAction.DISMISS
                )  # report_handled: outsider
                trust.vouch_give(voucher=self.volunteer, vouchee=newt, note="A neighbor")
                other = make_member("nora", level=Level.NEWCOMER)
                self.reachable(other, chat)
                trust.member_approve(member=other, by=officer)  # approved: nora

            emails = defaultdict(set)
            for recipients, raw in smtp.messages:
                subject = re.search(r"^Subject: (.*)$", raw, re.M).group(1)
                for address in recipients:
                    emails[address.split("@")[0]].add(subject.strip().removeprefix("[Mutual Aid] "))
            chats = defaultdict(set)
            for path, body in chat.posts:
                chats[path.strip("/")].add(body["title"])

        expected = {
            "rosa": [
                "need_claimed",
                "message_received",
                "need_fulfilled",
                "need_released",
                "need_expired",
            ],
            "vic": [
                "message_received",
                "need_reopened",
                "need_confirmed",
                "need_cancelled",
                "match_proposed",
            ],
            "otto": ["report_handled"],
            "newt": ["vouch_received"],
            "nora": ["approved"],
        }
        for handle, kinds in expected.items():
            for kind in kinds:
                with self.subTest(handle=handle, kind=kind):
                    self.assertIn(title(kind), emails[handle], "by email")
                    self.assertIn(title(kind), chats[handle], "by chat")
        # Nobody hears of what concerns someone else.
        self.assertNotIn(title("need_claimed"), emails["vic"] | chats["vic"])
        self.assertNotIn(title("need_confirmed"), emails["rosa"] | chats["rosa"])
        self.assertNotIn(title("report_handled"), emails["vic"] | chats["vic"])
