from unittest import mock

from django.test import Client
from django.urls import reverse

from mutualaid.lib import events
from mutualaid.network import services
from mutualaid.network.models import NetworkSettings, SettingsChange

from .base import NetworkAdminTestCase

VALID = {
    "name": "Eastside Mutual Aid",
    "scope": "Eastside and the river flats. Groceries, rides, childcare. 9am to 8pm daily.",
    "vouches_required": "2",
    "vouch_wait_days": "7",
    "vouch_limit": "5",
    "retention_days": "60",
    "max_active_claims": "3",
    "proposal_hours": "12",
    "stale_hours_today": "2",
    "stale_hours_soon": "12",
    "stale_hours_week": "48",
    "stale_hours_anytime": "168",
}


def current():
    return (
        NetworkSettings.objects.filter(pk=1).values().first(),
        list(SettingsChange.objects.order_by("pk").values()),
    )


def changes():
    return list(SettingsChange.objects.order_by("pk").values_list("field", "old", "new", "actor"))


class NetworkSettingsUpdateTestCase(NetworkAdminTestCase):
    def test_it_saves_the_values_and_who_changed_them(self):
        saved = services.network_settings_update(by=self.organizer, name="Eastside", vouch_limit=4)
        self.assertEqual((saved.name, saved.vouch_limit), ("Eastside", 4))
        self.assertEqual(saved.updated_by, self.organizer)
        self.assertIsNotNone(saved.updated_at)

    def test_it_refuses_a_field_that_is_not_a_setting(self):
        with self.assertRaises(TypeError):
            services.network_settings_update(by=self.organizer, updated_by=self.outsider)
        self.assertEqual(changes(), [])

    def test_each_changed_setting_is_recorded_with_its_old_and_new_value(self):
        services.network_settings_update(
            by=self.organizer, name="Eastside", vouch_limit=4, retention_days=30
        )
        me = self.organizer.pk
        self.assertEqual(
            changes(), [("name", "Mutual Aid", "Eastside", me), ("vouch_limit", 3, 4, me)]
        )
        services.network_settings_update(by=self.organizer, vouch_limit=6)
        self.assertEqual(changes()[-1], ("vouch_limit", 4, 6, me))

    def test_values_that_do_not_change_record_nothing(self):
        NetworkSettings.load()
        before = current()
        with self.captureOnCommitCallbacks() as callbacks:
            saved = services.network_settings_update(by=self.organizer, name="Mutual Aid")
        self.assertEqual(current(), before)
        self.assertIsNone(saved.updated_by)
        self.assertEqual(callbacks, [])

    def test_the_apps_above_hear_which_settings_changed_once_it_commits(self):
        heard = []
        handlers = {services.SETTINGS_CHANGED: [lambda **data: heard.append(data)]}
        with mock.patch.dict(events.HANDLERS, handlers, clear=True):
            with self.captureOnCommitCallbacks() as callbacks:
                services.network_settings_update(
                    by=self.organizer, vouches_required=2, vouch_limit=4
                )
            self.assertEqual(heard, [])  # not before the commit
            for callback in callbacks:
                callback()
        self.assertEqual(heard, [{"fields": ["vouch_limit", "vouches_required"]}])

    def test_the_record_is_append_only(self):
        services.network_settings_update(by=self.organizer, vouch_limit=4)
        change = SettingsChange.objects.get()
        with self.assertRaises(TypeError):
            change.save()
        with self.assertRaises(TypeError):
            change.delete()
        with self.assertRaises(TypeError):
            SettingsChange.objects.update(new=9)
        with self.assertRaises(TypeError):
            SettingsChange.objects.all().delete()
        self.assertEqual(changes(), [("vouch_limit", 3, 4, self.organizer.pk)])


class NetworkSettingsPageTestCase(NetworkAdminTestCase):
    url = reverse("network:settings")

    def setUp(self):
        super().setUp()
        NetworkSettings.load()

    def test_it_refuses_outsiders(self):
        self.assert_outsiders_refused(self.url)
        self.assert_outsiders_refused(self.url, method="post", data=VALID, unchanged=current)

    def test_it_shows_the_current_values(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'name="retention_days" value="30"')
        self.assertContains(response, 'value="Mutual Aid"')

    def test_an_admin_changes_the_settings(self):
        response = self.client.post(self.url, VALID)
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        row = NetworkSettings.load()
        self.assertEqual(
            (row.name, row.vouches_required, row.vouch_wait_days, row.vouch_limit),
            ("Eastside Mutual Aid", 2, 7, 5),
        )
        self.assertEqual((row.retention_days, row.max_active_claims), (60, 3))
        self.assertEqual(row.proposal_hours, 12)
        self.assertEqual(row.updated_by, self.organizer)
        self.assertEqual(len(changes()), 8)
        self.assertIn(("vouches_required", 1, 2, self.organizer.pk), changes())

    def test_the_country_for_phone_numbers_is_a_known_code_and_kept_when_left_empty(self):
        response = self.client.post(self.url, {**VALID, "phone_region": "es"})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(NetworkSettings.load().phone_region, "ES")
        self.client.post(self.url, {**VALID, "phone_region": ""})
        self.assertEqual(NetworkSettings.load().phone_region, "ES")
        response = self.client.post(self.url, {**VALID, "phone_region": "XQ"})
        self.assertContains(response, "two-letter code", status_code=422)
        self.assertEqual(NetworkSettings.load().phone_region, "ES")

    def test_it_shows_the_last_changes(self):
        self.assertContains(self.client.get(self.url), "No changes yet.")
        self.client.post(self.url, {**VALID, "vouch_limit": "9"})
        response = self.client.get(self.url)
        self.assertContains(response, "<td>Vouches a member may give per 30 days</td>", html=True)
        self.assertContains(response, "<td>3</td><td>9</td>", html=True)
        self.assertContains(response, "<td>olga</td>", html=True)

    def test_the_last_changes_take_a_fixed_number_of_queries(self):
        self.client.post(self.url, VALID)
        with self.assertNumQueries(4):
            self.client.get(self.url)
        self.client.post(self.url, {**VALID, "name": "Westside", "vouch_limit": "9"})
        with self.assertNumQueries(4):
            self.client.get(self.url)

    def test_the_public_page_shows_the_name_and_scope(self):
        self.client.post(self.url, VALID)
        response = Client().get(reverse("home"))
        self.assertContains(response, "Eastside Mutual Aid")
        self.assertContains(response, "Groceries, rides, childcare. 9am to 8pm daily.")

    def test_out_of_range_and_bad_values_are_refused(self):
        cases = [
            ("vouches_required", "0", "greater than or equal to 1"),
            ("vouches_required", "11", "less than or equal to 10"),
            ("vouch_wait_days", "-1", "greater than or equal to 0"),
            ("vouch_wait_days", "91", "less than or equal to 90"),
            ("vouch_limit", "51", "less than or equal to 50"),
            ("retention_days", "0", "greater than or equal to 1"),
            ("retention_days", "3651", "less than or equal to 3650"),
            ("max_active_claims", "0", "greater than or equal to 1"),
            ("max_active_claims", "many", "Enter a whole number."),
            ("proposal_hours", "0", "greater than or equal to 1"),
            ("proposal_hours", "169", "less than or equal to 168"),
            ("stale_hours_today", "0", "greater than or equal to 1"),
            ("stale_hours_soon", "721", "less than or equal to 720"),
            ("stale_hours_week", "", "This field is required."),
            ("stale_hours_anytime", "a week", "Enter a whole number."),
            ("name", "  ", "This field is required."),
            ("name", "Call 555 123 4567", "looks like a phone number"),
        ]
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                before = current()
                response = self.client.post(self.url, {**VALID, field: value})
                self.assertContains(response, message, status_code=422)
                self.assertEqual(current(), before)

    def test_the_edges_of_each_range_are_accepted(self):
        for edges in (
            {
                "vouches_required": "1",
                "vouch_wait_days": "0",
                "vouch_limit": "1",
                "retention_days": "1",
                "max_active_claims": "1",
                "proposal_hours": "1",
                "stale_hours_today": "1",
                "stale_hours_anytime": "1",
            },
            {
                "vouches_required": "10",
                "vouch_wait_days": "90",
                "vouch_limit": "50",
                "retention_days": "3650",
                "max_active_claims": "50",
                "proposal_hours": "168",
                "stale_hours_today": "720",
                "stale_hours_anytime": "720",
            },
        ):
            with self.subTest(edges=edges):
                response = self.client.post(self.url, {**VALID, **edges})
                self.assertEqual(response.status_code, 302)


class TriageSettingsTestCase(NetworkAdminTestCase):
    """The setting "new needs go to triage first" and the stale hours, on the same page and in
    the same record as the other settings."""

    url = reverse("network:settings")

    def test_the_page_shows_the_triage_and_stale_settings(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'name="triage_first"')
        self.assertContains(response, 'name="stale_hours_today" value="2"')
        self.assertContains(response, 'name="stale_hours_anytime" value="168"')

    def test_an_admin_turns_triage_on_and_changes_stale_hours_and_both_are_recorded(self):
        data = {**VALID, "triage_first": "on", "stale_hours_today": "3", "stale_hours_week": "72"}
        response = self.client.post(self.url, data)
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        row = NetworkSettings.load()
        self.assertTrue(row.triage_first)
        self.assertEqual((row.stale_hours_today, row.stale_hours_week), (3, 72))
        me = self.organizer.pk
        self.assertIn(("triage_first", False, True, me), changes())
        self.assertIn(("stale_hours_today", 2, 3, me), changes())
        self.assertIn(("stale_hours_week", 48, 72, me), changes())
        # Left unticked: off again, and recorded.
        self.client.post(self.url, data | {"triage_first": ""})
        self.assertFalse(NetworkSettings.load().triage_first)
        self.assertEqual(changes()[-1], ("triage_first", True, False, me))
        self.assertContains(self.client.get(self.url), "New needs go to triage first")
