"""The requester changes an open need: the summary meets the doxxing guard again, the change is on
the timeline (that it changed, never the words), and only an open need can change."""

from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Urgency
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing


class NeedEditServiceTestCase(BaseTestCase):
    def test_it_changes_the_fields_and_says_so_on_the_timeline(self):
        need = self.post_need()
        changed = services.need_edit(
            need=need, member=self.requester, summary="Groceries for five", urgency=Urgency.TODAY
        )
        self.assertEqual(sorted(changed), ["summary", "urgency"])
        need.refresh_from_db()
        self.assertEqual((need.summary, need.urgency), ("Groceries for five", Urgency.TODAY))
        self.assertEqual(need.events.filter(kind=EventKind.NEED_EDITED).count(), 1)

    def test_nothing_changed_writes_nothing(self):
        need = self.post_need()
        with changes_nothing(self):
            self.assertEqual(
                services.need_edit(need=need, member=self.requester, summary=need.summary), []
            )

    def test_the_summary_meets_the_guard_again(self):
        need = self.post_need()
        with changes_nothing(self), self.assertRaises(Refusal) as refusal:
            services.need_edit(need=need, member=self.requester, summary="Call 555-123-4567")
        self.assertEqual(refusal.exception.code, "personal_details")

    def test_only_the_requester_and_only_while_open(self):
        need = self.post_need()
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_edit(need=need, member=self.outsider, summary="Mine now")
        claimed = self.claimed_need()
        with changes_nothing(self), self.assertRaises(Refusal) as refusal:
            services.need_edit(need=claimed, member=self.requester, summary="Changed")
        self.assertEqual(refusal.exception.code, "stale")


class NeedEditPageTestCase(BaseTestCase):
    def url(self, need):
        return reverse("aid:need_edit", args=[need.code])

    def form(self, need, **changes):
        values = {
            "category": need.category.slug,
            "summary": need.summary,
            "details": need.details,
            "area": need.area.code,
            "urgency": need.urgency,
            "needed_by": "",
        }
        values.update(changes)
        return values

    def test_the_requester_changes_it(self):
        need = self.post_need()
        self.client.force_login(self.requester)
        self.assertContains(self.client.get(self.url(need)), "Change your need")
        response = self.client.post(self.url(need), self.form(need, summary="Soup and bread"))
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        need.refresh_from_db()
        self.assertEqual(need.summary, "Soup and bread")

    def test_a_refused_summary_is_shown_on_its_field_and_nothing_changes(self):
        need = self.post_need()
        self.client.force_login(self.requester)
        with changes_nothing(self):
            response = self.client.post(self.url(need), self.form(need, summary="12 Elm Street"))
        self.assertContains(response, "12 Elm Street", status_code=422)

    def test_outsiders_are_refused(self):
        need = self.post_need()
        self.client.force_login(self.outsider)
        with changes_nothing(self):
            self.assertEqual(self.client.get(self.url(need)).status_code, 403)
            response = self.client.post(self.url(need), self.form(need, summary="Mine"))
            self.assertEqual(response.status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url(need)).status_code, 302)


class NeedRepostTestCase(BaseTestCase):
    def test_a_cancelled_need_is_posted_again_as_it_was(self):
        need = self.post_need(anonymous=True)
        services.need_cancel(need=need, member=self.requester)
        again = services.need_repost(need=need, member=self.requester)
        self.assertNotEqual(again.pk, need.pk)
        self.assertTrue(again.is_open())
        self.assertEqual(
            (again.summary, again.details, again.category, again.area, again.anonymous),
            (need.summary, need.details, need.category, need.area, True),
        )
        self.assertTrue(need.events.filter(kind=EventKind.NEED_REPOSTED).exists())

    def test_only_an_ended_need_and_only_by_its_requester(self):
        need = self.post_need()
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_repost(need=need, member=self.requester)  # still open
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_repost(need=need, member=self.outsider)

    def test_one_click_on_its_page(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        self.client.force_login(self.requester)
        page = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(page, "Post it again")
        response = self.client.post(reverse("aid:need_repost", args=[need.code]))
        again = need.requester.needs.exclude(pk=need.pk).get()
        self.assertRedirects(response, reverse("aid:need", args=[again.code]))
        self.client.force_login(self.outsider)
        self.assertEqual(
            self.client.post(reverse("aid:need_repost", args=[need.code])).status_code, 404
        )
