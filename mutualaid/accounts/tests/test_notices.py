"""Notices: the member's own, listed and marked read; their unread count in the header; their
words, rendered from the kind and its parameters when shown, in the reader's language."""

from datetime import timedelta
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy

from mutualaid.accounts import services
from mutualaid.accounts.models import Notice
from mutualaid.lib import notices
from mutualaid.test import BaseTestCase


def message(member, text, **fields) -> Notice:
    """An unsaved notice of the kind "message", whose words are ``text`` as is."""
    notice = Notice(member=member, kind="message", **fields)
    notice.params = {"text": text}
    return notice


def by_language(**words):
    """Words looked up in the active language when shown, as a translation catalogue gives them
    (the project has no Spanish catalogue yet: this stands in for one)."""
    return lazy(lambda: words.get(translation.get_language()[:2], words["en"]), str)()


TAKEN = by_language(
    en="A volunteer has taken on “%(summary)s”.",
    es="Una persona voluntaria se ha hecho cargo de “%(summary)s”.",
)


class NoticeSendTestCase(BaseTestCase):
    def test_it_writes_an_unread_notice_for_the_member(self):
        notice = services.notify(
            member=self.requester, kind="message", text="Your need is back on the board."
        )
        self.assertEqual(notice.member, self.requester)
        self.assertEqual(notice.text, "Your need is back on the board.")
        self.assertIsNone(notice.read_at)
        self.assertFalse(notice.is_read())

    def test_it_refuses_a_kind_nobody_registered(self):
        with self.assertRaises(ValueError):
            services.notify(member=self.requester, kind="no_such_kind", summary="Groceries")
        self.assertFalse(Notice.objects.exists())

    def test_marking_read_touches_only_the_members_unread_notices(self):
        earlier = timezone.now() - timedelta(days=2)
        old = message(self.requester, "Old", read_at=earlier)
        old.save()
        new = services.notify(member=self.requester, kind="message", text="New")
        theirs = services.notify(member=self.outsider, kind="message", text="Not rosa's")
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
        message(self.requester, "Older one", created_at=timezone.now() - timedelta(hours=1)).save()
        services.notify(member=self.requester, kind="message", text="Newer one")
        services.notify(member=self.outsider, kind="message", text="For otto only")
        self.client.force_login(self.requester)
        response = self.client.get(self.url)
        content = response.content.decode()
        self.assertLess(content.index("Newer one"), content.index("Older one"))
        self.assertNotIn("For otto only", content)

    def test_the_outsider_sees_none_of_another_members_notices(self):
        services.notify(member=self.requester, kind="message", text="For rosa only")
        self.client.force_login(self.outsider)
        response = self.client.get(self.url)
        self.assertNotContains(response, "For rosa only")
        self.assertContains(response, "No notices yet.")
        self.assertNotContains(self.client.get(reverse("aid:board")), "new notice")

    def test_reading_the_list_does_not_mark_them_read_but_the_button_does(self):
        services.notify(
            member=self.requester, kind="message", text="Your need is back on the board."
        )
        self.client.force_login(self.requester)
        self.client.get(self.url)
        self.assertEqual(Notice.objects.filter(read_at__isnull=True).count(), 1)
        response = self.client.post(self.read_url)
        self.assertRedirects(response, self.url)
        self.assertEqual(Notice.objects.filter(read_at__isnull=True).count(), 0)
        self.assertNotContains(self.client.get(self.url), "New:")

    def test_the_account_page_marks_them_read_too(self):
        services.notify(
            member=self.requester, kind="message", text="Your need is back on the board."
        )
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
        services.notify(member=self.requester, kind="message", text="Hello")
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
        # Counted now: a later request outside a capture resets the log the capture reads.
        none = len(none)
        self.assertNotContains(response, "new notice")
        services.notify(member=self.requester, kind="message", text="One")
        response = self.client.get(board)
        self.assertContains(response, "Account (1 new notice)")
        Notice.objects.bulk_create(message(self.requester, "More") for _ in range(40))
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(board)
        self.assertContains(response, "Account (41 new notices)")
        self.assertEqual(none, len(many))
        counts = [q["sql"] for q in many.captured_queries if "accounts_notice" in q["sql"]]
        self.assertEqual(len(counts), 1, counts)

    def test_an_anonymous_visitor_costs_no_notice_query(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("home"))
        self.assertFalse([q for q in queries.captured_queries if "accounts_notice" in q["sql"]])

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.requester)
        self.client.get(self.url)
        Notice.objects.bulk_create(message(self.requester, "Few") for _ in range(3))
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        Notice.objects.bulk_create(message(self.requester, "Many") for _ in range(80))
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertEqual(len(few), len(many))
        self.assertContains(response, "Page 1 of 2")


@mock.patch.dict(notices.KINDS)  # the kinds registered here are gone after each test
class NoticeWordsTestCase(BaseTestCase):
    """A notice keeps a kind and its parameters; its words are made when it is shown."""

    def setUp(self):
        self.url = reverse("accounts:notices")
        self.client.force_login(self.requester)

    def test_it_is_shown_in_the_readers_language(self):
        notices.register("test_taken", TAKEN)
        notice = services.notify(member=self.requester, kind="test_taken", summary="Insulina")
        notice.refresh_from_db()
        self.assertEqual(notice.params, {"summary": "Insulina"})  # no words are stored
        with translation.override("es"):
            self.assertEqual(notice.text, "Una persona voluntaria se ha hecho cargo de “Insulina”.")
        spanish = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(spanish, "Una persona voluntaria se ha hecho cargo de “Insulina”.")
        english = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(english, "A volunteer has taken on “Insulina”.")
        self.assertNotContains(english, "Una persona voluntaria")

    def test_its_words_are_the_kinds_words_when_shown_with_the_stored_parameters(self):
        notices.KINDS["test_taken"] = notices.NoticeKind("test_taken", "Old words: %(summary)s")
        services.notify(member=self.requester, kind="test_taken", summary="Insulin pickup")
        notices.KINDS["test_taken"] = notices.NoticeKind(
            "test_taken", "“%(summary)s” has a volunteer."
        )
        response = self.client.get(self.url)
        self.assertContains(response, "“Insulin pickup” has a volunteer.")
        self.assertNotContains(response, "Old words")

    def test_a_missing_parameter_leaves_a_gap_not_an_error(self):
        notices.register("test_taken", TAKEN)
        notice = Notice(member=self.requester, kind="test_taken")
        notice.params = {"need": "not the summary"}
        notice.save()
        response = self.client.get(self.url)
        self.assertContains(response, "A volunteer has taken on “…”.")

    def test_an_unknown_kind_reads_as_a_plain_notice_never_a_500(self):
        notice = Notice(member=self.requester, kind="retired_kind")
        notice.params = {"summary": "Insulin pickup"}
        notice.save()
        self.assertContains(self.client.get(self.url), "New:</strong> You have a notice.")
        self.assertContains(self.client.get(reverse("accounts:account")), "You have a notice.")
        self.assertContains(self.client.get(reverse("aid:board")), "Account (1 new notice)")

    def test_the_outsider_sees_none_of_the_words(self):
        notices.register("test_taken", TAKEN)
        services.notify(member=self.requester, kind="test_taken", summary="Insulin pickup")
        self.client.force_login(self.outsider)
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="es")
        self.assertNotContains(response, "Insulin pickup")
