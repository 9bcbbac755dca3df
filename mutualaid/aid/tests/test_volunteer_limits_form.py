"""The volunteer's limits page (aid:volunteer_limits), linked from the account page."""

from django.urls import reverse

from mutualaid.accounts.models import Member
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase


class VolunteerLimitsFormTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:volunteer_limits")

    def save(self, member, **data):
        self.client.force_login(member)
        return self.client.post(self.url, data)

    def limits(self, member):
        member = Member.objects.get(pk=member.pk)
        return member.max_active_claims, member.available_days

    def test_the_page_shows_the_form_with_the_network_cap(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"max_active_claims": 7})
        self.client.force_login(self.volunteer)
        response = self.client.get(self.url)
        self.assertContains(response, "Your limits as a volunteer")
        self.assertContains(response, '<form method="post"')
        self.assertContains(response, 'name="max_active_claims"')
        self.assertContains(response, 'type="checkbox" name="available_days" value="6"')
        self.assertContains(response, "The network allows at most 7 at once.")

    def test_the_account_page_links_to_it(self):
        self.client.force_login(self.volunteer)
        response = self.client.get(reverse("accounts:account"))
        self.assertContains(response, f'href="{self.url}"')

    def test_the_form_shows_the_limits_already_set(self):
        Member.objects.filter(pk=self.volunteer.pk).update(
            max_active_claims=3, available_days=[5, 6]
        )
        self.client.force_login(self.volunteer)
        response = self.client.get(self.url)
        self.assertContains(response, 'name="max_active_claims" value="3"')
        self.assertContains(response, 'value="5" id="id_available_days_5" checked')
        self.assertContains(response, 'value="6" id="id_available_days_6" checked')
        self.assertNotContains(response, 'value="0" id="id_available_days_0" checked')

    def test_it_shows_only_the_members_own_limits(self):
        Member.objects.filter(pk=self.volunteer.pk).update(max_active_claims=3, available_days=[5])
        self.client.force_login(self.outsider)
        response = self.client.get(self.url)
        self.assertContains(response, 'name="max_active_claims"')
        self.assertNotContains(response, 'name="max_active_claims" value=')
        self.assertNotContains(response, " checked")

    def test_it_saves_the_limits(self):
        response = self.save(self.volunteer, max_active_claims="3", available_days=["6", "5"])
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(self.limits(self.volunteer), (3, [5, 6]))
        response = self.client.get(self.url)
        self.assertContains(response, "Your limits are saved.")
        self.assertContains(response, 'name="max_active_claims" value="3"')

    def test_empty_means_the_network_cap_and_any_day(self):
        Member.objects.filter(pk=self.volunteer.pk).update(max_active_claims=3, available_days=[5])
        self.save(self.volunteer, max_active_claims="")
        self.assertEqual(self.limits(self.volunteer), (None, []))

    def test_it_refuses_a_limit_out_of_range(self):
        for value in ("0", "51", "-1", "many"):
            with self.subTest(value=value):
                response = self.save(self.volunteer, max_active_claims=value)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, "Your limits as a volunteer", status_code=422)
                self.assertContains(response, 'class="errors"', status_code=422)
                self.assertEqual(self.limits(self.volunteer), (None, []))

    def test_it_accepts_the_bounds(self):
        for value in (1, 50):
            self.save(self.volunteer, max_active_claims=str(value))
            self.assertEqual(self.limits(self.volunteer)[0], value)

    def test_it_refuses_a_day_that_is_not_a_weekday(self):
        response = self.save(self.volunteer, available_days=["7"])
        self.assertEqual(response.status_code, 422)
        self.assertEqual(self.limits(self.volunteer), (None, []))

    def test_it_changes_only_the_members_own_limits(self):
        self.save(self.outsider, max_active_claims="2", available_days=["0"])
        self.assertEqual(self.limits(self.outsider), (2, [0]))
        for member in (self.requester, self.volunteer, self.organizer):
            self.assertEqual(self.limits(member), (None, []))

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        login = f"{reverse('accounts:login')}?next={self.url}"
        self.assertRedirects(self.client.get(self.url), login)
        response = self.client.post(self.url, {"max_active_claims": "2"})
        self.assertRedirects(response, login)
        self.assertFalse(Member.objects.filter(max_active_claims=2).exists())

    def test_it_takes_only_get_and_post(self):
        self.client.force_login(self.volunteer)
        for method in ("put", "patch", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(self.url, "max_active_claims=2")
                self.assertEqual(response.status_code, 405)
        self.assertEqual(self.limits(self.volunteer), (None, []))
