"""Notices: the member's own, listed and marked read; their unread count in the header."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts import services
from mutualaid.accounts.models import NOTICE_MAX, Notice
from mutualaid.test import BaseTestCase


class NoticeSendTestCase(BaseTestCase):
    def test_it_writes_an_unread_notice_for_the_member(self):
        notice = services.notice_send(member=self.requester, text="Your need is back on the board.")
        self.assertEqual(notice.member, self.requester)
        self.assertEqual(notice.text, "Your need is back on the board.")
        self.assertIsNone(notice.read_at)
        self.assertFalse(notice.is_read())

    def test_it_cuts_a_long_text_to_fit(self):
        notice = services.notice_send(member=self.requester, text="x" * (NOTICE_MAX + 50))
        notice.refresh_from_db()
        self.assertEqual(len(notice.text), NOTICE_MAX)

    def test_marking_read_touches_only_the_members_unread_notices(self):
        earlier = timezone.now() - timedelta(days=2)
        old = Notice.objects.create(member=self.requester, text="Old", read_at=earlier)
        new = services.notice_send(member=self.requester, text="New")
        theirs = services.notice_send(member=self.outsider, text="Not rosa's")
        self.assertEqual(services.notices_mark_read(member=self.requester), 1)
        old.refresh_from_db()
        new.refresh_from_db()
        theirs.refresh_from_db()
        self.assertEqual(old.read_at, earlier)
        self.assertIsNotNone(new.read_at)
        self.assertIsNone(theirs.read_at)


class NoticesPageTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:notices")
        self.read_url = reverse("accounts:notices_read")

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        login = reverse("accounts:login")
        self.assertRedirects(self.client.get(self.url), f"{login}?next={self.url}")
        self.assertRedirects(self.client.post(self.read_url), f"{login}?next={self.read_url}")

    def test_it_lists_the_members_notices_newest_first_and_nobody_elses(self):
        Notice.objects.create(
            member=self.requester, text="Older one", created_at=timezone.now() - timedelta(hours=1)
        )
        services.notice_send(member=self.requester, text="Newer one")
        services.notice_send(member=self.outsider, text="For otto only")
        self.client.force_login(self.requester)
        response = self.client.get(self.url)
        content = response.content.decode()
        self.assertLess(content.index("Newer one"), content.index("Older one"))
        self.assertNotIn("For otto only", content)

    def test_the_outsider_sees_none_of_another_members_notices(self):
        services.notice_send(member=self.requester, text="For rosa only")
        self.client.force_login(self.outsider)
        response = self.client.get(self.url)
        self.assertNotContains(response, "For rosa only")
        self.assertContains(response, "No notices yet.")
        self.assertNotContains(self.client.get(reverse("aid:board")), "new notice")

    def test_reading_the_list_does_not_mark_them_read_but_the_button_does(self):
        services.notice_send(member=self.requester, text="Your need is back on the board.")
        self.client.force_login(self.requester)
        self.client.get(self.url)
        self.assertEqual(Notice.objects.filter(read_at__isnull=True).count(), 1)
        response = self.client.post(self.read_url)
        self.assertRedirects(response, self.url)
        self.assertEqual(Notice.objects.filter(read_at__isnull=True).count(), 0)
        self.assertNotContains(self.client.get(self.url), "New:")

    def test_the_account_page_marks_them_read_too(self):
        services.notice_send(member=self.requester, text="Your need is back on the board.")
        self.client.force_login(self.requester)
        account = reverse("accounts:account")
        self.assertContains(self.client.get(account), "Mark all as read")
        response = self.client.post(self.read_url, {"back": "account"})
        self.assertRedirects(response, account, fetch_redirect_response=False)
        page = self.client.get(account)
        self.assertNotContains(page, "Mark all as read")
        self.assertNotContains(page, "new notice")
        self.assertContains(page, "Your need is back on the board.")

    def test_it_goes_back_nowhere_but_the_two_pages(self):
        self.client.force_login(self.requester)
        response = self.client.post(self.read_url, {"back": "https://evil.example/"})
        self.assertRedirects(response, self.url)

    def test_marking_read_is_a_post_with_its_csrf_token(self):
        services.notice_send(member=self.requester, text="Hello")
        self.client.force_login(self.requester)
        self.assertEqual(self.client.get(self.read_url).status_code, 405)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.requester)
        self.assertEqual(client.post(self.read_url).status_code, 403)
        self.assertEqual(Notice.objects.filter(read_at__isnull=True).count(), 1)

    def test_the_header_counts_unread_notices_in_one_query(self):
        self.client.force_login(self.requester)
        board = reverse("aid:board")
        self.client.get(board)  # warm up the session
        with CaptureQueriesContext(connection) as none:
            response = self.client.get(board)
        self.assertNotContains(response, "new notice")
        services.notice_send(member=self.requester, text="One")
        response = self.client.get(board)
        self.assertContains(response, "Account (1 new notice)")
        Notice.objects.bulk_create(Notice(member=self.requester, text="More") for _ in range(40))
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(board)
        self.assertContains(response, "Account (41 new notices)")
        self.assertEqual(len(none), len(many))
        counts = [q["sql"] for q in many.captured_queries if "accounts_notice" in q["sql"]]
        self.assertEqual(len(counts), 1, counts)

    def test_an_anonymous_visitor_costs_no_notice_query(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("home"))
        self.assertFalse([q for q in queries.captured_queries if "accounts_notice" in q["sql"]])

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.requester)
        self.client.get(self.url)
        Notice.objects.bulk_create(Notice(member=self.requester, text="Few") for _ in range(3))
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        Notice.objects.bulk_create(Notice(member=self.requester, text="Many") for _ in range(80))
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertEqual(len(few), len(many))
        self.assertContains(response, "Page 1 of 2")
