"""A need's panel as an onlooker sees it (no part in it, no private text, no organizer's tools) is
kept and served again to every onlooker who sees it the same way; everyone else gets their own,
and a change the page shows renders it afresh."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import Level
from mutualaid.aid import services
from mutualaid.aid.models import Category
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member


class KeptNeedPanelTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.need = self.post_need(summary="Groceries on Friday")
        self.url = reverse("aid:need", args=[self.need.code])
        self.neighbor = make_member("nell", area=self.north)

    def page(self, member, **headers):
        self.client.force_login(member)
        return self.client.get(self.url, **headers)

    def timeline_read(self, member):
        """The page, and whether it read the need's timeline (it does when it renders the panel)."""
        self.client.force_login(member)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        return response, any('"aid_timelineevent"."actor_id"' in q["sql"] for q in queries)

    def test_a_second_onlooker_gets_the_kept_panel_with_their_own_form_token(self):
        first, read = self.timeline_read(self.outsider)
        self.assertTrue(read)
        self.assertContains(first, "I can help")
        second, read = self.timeline_read(self.neighbor)
        self.assertFalse(read)
        self.assertContains(second, "I can help")
        self.assertContains(second, "Groceries on Friday")
        claim_form = second.content.decode().split('hx-post="/needs/')[1].split("</form>")[0]
        self.assertIn(f'value="{second.context["csrf_token"]}"', claim_form)
        self.assertNotIn("\x00", second.content.decode())

    def test_an_edit_shows_at_once(self):
        self.page(self.outsider)
        services.need_edit(need=self.need, member=self.requester, summary="Groceries on Saturday")
        response = self.page(self.neighbor)
        self.assertContains(response, "Groceries on Saturday")
        self.assertNotContains(response, "Groceries on Friday")

    def test_each_onlooker_gets_what_a_fresh_render_gives_them(self):
        """Whoever kept the panel, each onlooker's page is the one rendered for them alone: a
        newcomer (who may not claim), a member at their limit of claims, a suspended member."""
        settings = NetworkSettings.load()
        settings.max_active_claims = 1
        settings.save()
        busy = make_member("bea", area=self.north)
        services.need_claim(need=self.post_need(summary="A ride"), member=busy)
        onlookers = [
            self.outsider,
            self.neighbor,
            busy,
            make_member("nina", area=self.north, level=Level.NEWCOMER),
        ]
        fresh = {}
        for onlooker in onlookers:
            cache.clear()
            fresh[onlooker.handle] = self.without_token(self.page(onlooker))
        for first in onlookers:
            cache.clear()
            self.page(first)
            for onlooker in onlookers:
                with self.subTest(kept_by=first.handle, seen_by=onlooker.handle):
                    self.assertEqual(
                        self.without_token(self.page(onlooker)), fresh[onlooker.handle]
                    )
        self.assertNotIn("I can help", fresh["nina"])
        self.assertIn("Why you can't take this on yet", fresh["nina"])
        self.assertIn("I can help", fresh["nell"])

    def without_token(self, response):
        self.assertEqual(response.status_code, 200)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    def test_the_people_in_it_and_organizers_get_their_own_panel(self):
        self.page(self.outsider)  # kept for onlookers
        self.assertContains(self.page(self.requester), "Private details")
        self.assertContains(self.page(self.requester), "Cancel this need")
        self.assertContains(self.page(self.organizer), "Private details")
        self.assertContains(self.page(self.organizer), "Match with a volunteer")
        services.need_claim(need=self.need, member=self.volunteer)
        self.page(self.outsider)
        self.assertContains(self.page(self.volunteer), "Private details")

    def test_a_renamed_category_shows_at_once(self):
        self.page(self.outsider)
        Category.objects.filter(pk=self.groceries.pk).update(name="Food shopping")
        self.assertContains(self.page(self.neighbor), "Food shopping")

    def test_the_panel_alone_for_htmx_is_kept_apart_from_the_page(self):
        self.page(self.outsider)
        panel = self.page(self.neighbor, HTTP_HX_REQUEST="true")
        self.assertNotContains(panel, "<html")
        self.assertContains(panel, 'tabindex="-1" autofocus')
        page = self.page(self.neighbor)
        self.assertNotContains(page, "autofocus")

    def test_an_outsider_to_the_network_is_sent_to_log_in(self):
        self.page(self.outsider)
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(response, "Groceries on Friday", status_code=302)
