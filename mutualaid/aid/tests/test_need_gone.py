"""When a need leaves someone's sight because of what happened to it, they are told what happened
(a page, or the fragment htmx swaps in), never a bare "not found"; anyone else still gets 404."""

from django.urls import reverse

from mutualaid.accounts.models import Role
from mutualaid.aid import services
from mutualaid.aid.models import Need, NeedStatus, Visibility
from mutualaid.safety import services as safety_services
from mutualaid.safety.models import Reason, ReportAction
from mutualaid.test import BaseTestCase, make_member


class NeedGoneTestCase(BaseTestCase):
    def test_the_loser_of_a_claim_race_is_told_without_javascript(self):
        need = self.post_need()
        services.need_claim(need=need, member=self.volunteer)  # got there first
        self.client.force_login(self.outsider)
        response = self.client.post(reverse("aid:need_claim", args=[need.code]))
        self.assertContains(response, "Another volunteer has just taken this need", status_code=409)

    def test_the_loser_of_a_claim_race_is_told_with_htmx(self):
        need = self.post_need()
        services.need_claim(need=need, member=self.volunteer)
        self.client.force_login(self.outsider)
        response = self.client.post(
            reverse("aid:need_claim", args=[need.code]), headers={"HX-Request": "true"}
        )
        self.assertContains(response, "Another volunteer has just taken this need", status_code=409)
        self.assertEqual(response["HX-Retarget"], "#need-panel")
        self.assertNotContains(response, "<html", status_code=409)

    def test_a_volunteer_who_releases_an_organizers_only_need_is_told_it_is_done(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        services.need_proposal_accept(need=need, member=self.volunteer)
        self.client.force_login(self.volunteer)
        response = self.client.post(
            reverse("aid:need_release", args=[need.code]), {"confirm": "yes"}, follow=True
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This need is no longer yours")
        self.assertContains(response, "Released")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)

    def test_the_volunteer_of_a_hidden_need_is_released_and_told(self):
        need = self.claimed_need()
        officer = make_member("sofia", roles=[Role.SAFETY])
        report = safety_services.report_file(reporter=self.outsider, reason=Reason.SCAM, need=need)
        safety_services.report_handle(report=report, officer=officer, action=ReportAction.HIDE)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNone(need.claimant_id)
        self.assertTrue(need.events.filter(kind="need_hidden").exists())
        self.client.force_login(self.volunteer)
        response = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(response, "safety officers hid this need")
        response = self.client.post(
            reverse("aid:need_release", args=[need.code]), {"confirm": "yes"}
        )
        self.assertContains(response, "safety officers hid this need", status_code=409)

    def test_an_outsider_still_learns_nothing(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("aid:need", args=[need.code])).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("aid:need_claim", args=[need.code])).status_code, 404
        )
        claimed = self.claimed_need()
        # Looking at a members' need someone else holds: still not found.
        self.assertEqual(self.client.get(reverse("aid:need", args=[claimed.code])).status_code, 404)
        self.assertTrue(Need.objects.filter(pk=claimed.pk).exists())

    def test_anonymous_visitors_are_sent_to_log_in(self):
        need = self.post_need()
        response = self.client.post(reverse("aid:need_claim", args=[need.code]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
