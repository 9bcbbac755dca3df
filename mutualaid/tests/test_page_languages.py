"""Pages in the reader's language: kept fragments and the menu are kept per language, and dates
are written in each language's words and order."""

from datetime import UTC, date, datetime

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import Member
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase

BOARD = reverse("aid:board")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


class KeptFragmentsPerLanguageTestCase(BaseTestCase):
    def setUp(self):
        NetworkSettings.load()  # made on first use: a write
        with time_machine.travel(MONDAY, tick=False):
            self.post_need(summary="Groceries on Tuesday")
        self.client.force_login(self.volunteer)

    def board(self, language):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        later = MONDAY.replace(hour=13)
        with time_machine.travel(later, tick=False), CaptureQueriesContext(connection) as queries:
            response = self.client.get(BOARD)
        needs_read = [q for q in queries.captured_queries if 'FROM "aid_need"' in q["sql"]]
        return response, bool(needs_read)

    def test_a_board_read_in_spanish_then_english_shows_each_its_own_words(self):
        spanish, _ = self.board("es")
        self.assertContains(spanish, "<h1>Necesidades abiertas</h1>", html=True)
        self.assertContains(spanish, "1 necesidad abierta")  # the kept list
        self.assertContains(spanish, "En 1 o 2 días")
        self.assertContains(spanish, "publicada hace 3")
        self.assertContains(spanish, ">Necesidades</a>")  # the kept menu
        self.assertNotContains(spanish, "open need")

        english, read_again = self.board("en")
        self.assertTrue(read_again)  # not the Spanish list, kept
        self.assertContains(english, "<h1>Open needs</h1>", html=True)
        self.assertContains(english, "1 open need")
        self.assertContains(english, "In 1–2 days")
        self.assertContains(english, "posted 3\xa0hours ago")
        self.assertContains(english, ">Needs</a>")
        self.assertNotContains(english, "necesidad")

        spanish_again, read_again = self.board("es")
        self.assertFalse(read_again)  # the Spanish list, kept
        self.assertContains(spanish_again, "1 necesidad abierta")
        self.assertContains(spanish_again, ">Necesidades</a>")
        self.assertNotContains(spanish_again, "open need")


class DatesPerLanguageTestCase(BaseTestCase):
    def page(self, member, url, language):
        Member.objects.filter(pk=member.pk).update(language=language)
        self.client.force_login(member)
        return self.client.get(url)

    def test_the_day_a_member_joined_in_spanish_and_in_english(self):
        Member.objects.filter(pk=self.requester.pk).update(
            date_joined=datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
        )
        url = reverse("accounts:account")
        spanish = self.page(self.requester, url, "es")
        self.assertContains(spanish, "<dt>Miembro desde</dt><dd>5 de marzo de 2025</dd>", html=True)
        english = self.page(self.requester, url, "en")
        self.assertContains(english, "<dt>Member since</dt><dd>5 March 2025</dd>", html=True)

    def test_a_needed_by_day_in_spanish_and_in_english(self):
        with time_machine.travel(MONDAY, tick=False):
            need = self.post_need(needed_by=date(2026, 3, 5))
            url = reverse("aid:need", args=[need.code])
            self.assertContains(self.page(self.requester, url, "es"), "<dd>Jueves 5 de marzo</dd>")
            self.assertContains(self.page(self.requester, url, "en"), "<dd>Thursday 5 March</dd>")

    def test_a_date_field_keeps_its_iso_value_in_spanish(self):
        """An <input type="date"> takes only 2026-03-05: "05/03/2026" would show as no date."""
        with time_machine.travel(MONDAY, tick=False):
            need = self.post_need(needed_by=date(2026, 3, 5))
            page = self.page(self.requester, reverse("aid:need_edit", args=[need.code]), "es")
        self.assertContains(page, 'type="date" name="needed_by" value="2026-03-05"')
