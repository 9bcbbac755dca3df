from django.urls import reverse

from mutualaid.lib.refusal import Refusal
from mutualaid.network.tests.base import NetworkAdminTestCase
from mutualaid.test import make_member
from mutualaid.trust import services
from mutualaid.trust.models import Level, Role, RoleGrant, TrustEvent, TrustEventKind


def grants():
    return list(RoleGrant.objects.order_by("pk").values())


class RoleGrantServiceTestCase(NetworkAdminTestCase):
    def test_it_grants_several_roles_and_records_each(self):
        services.role_grant(member=self.volunteer, role=Role.TRIAGER, by=self.organizer)
        services.role_grant(member=self.volunteer, role=Role.SAFETY, by=self.organizer)
        self.assertEqual(self.volunteer.roles, {Role.TRIAGER, Role.SAFETY})
        grant = RoleGrant.objects.get(member=self.volunteer, role=Role.TRIAGER)
        self.assertEqual(grant.granted_by, self.organizer)
        events = TrustEvent.objects.filter(member=self.volunteer).order_by("pk")
        self.assertEqual(
            list(events.values_list("kind", "note", "actor")),
            [
                (TrustEventKind.ROLE_GRANTED, Role.TRIAGER, self.organizer.pk),
                (TrustEventKind.ROLE_GRANTED, Role.SAFETY, self.organizer.pk),
            ],
        )

    def test_it_refuses_a_role_already_held(self):
        services.role_grant(member=self.volunteer, role=Role.TRIAGER, by=self.organizer)
        before = (grants(), TrustEvent.objects.count())
        with self.assertRaisesMessage(Refusal, "vic is already a Triager."):
            services.role_grant(member=self.volunteer, role=Role.TRIAGER, by=self.organizer)
        self.assertEqual((grants(), TrustEvent.objects.count()), before)

    def test_it_refuses_a_suspended_member(self):
        suspended = make_member("sue", level=Level.SUSPENDED)
        with self.assertRaisesMessage(Refusal, "sue is suspended"):
            services.role_grant(member=suspended, role=Role.ADMIN, by=self.organizer)
        self.assertFalse(RoleGrant.objects.filter(member=suspended).exists())
        self.assertFalse(TrustEvent.objects.filter(member=suspended).exists())

    def test_only_an_admin_grants(self):
        with self.assertRaisesMessage(Refusal, "Only admins"):
            services.role_grant(member=self.volunteer, role=Role.ADMIN, by=self.triager)
        self.assertFalse(RoleGrant.objects.filter(member=self.volunteer).exists())

    def test_a_role_granted_again_after_removal_is_a_new_row(self):
        first = services.role_grant(member=self.volunteer, role=Role.TRIAGER, by=self.organizer)
        services.role_remove(grant=first, by=self.organizer)
        second = services.role_grant(member=self.volunteer, role=Role.TRIAGER, by=self.organizer)
        self.assertNotEqual(first.pk, second.pk)
        self.assertEqual(RoleGrant.objects.filter(member=self.volunteer).count(), 2)


class OrganizersPageTestCase(NetworkAdminTestCase):
    url = reverse("trust:organizers")

    def test_it_refuses_outsiders(self):
        self.assert_outsiders_refused(self.url)
        self.assert_outsiders_refused(
            self.url, method="post", data={"handle": "vic", "role": "admin"}, unchanged=grants
        )

    def test_it_lists_who_holds_which_role(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Remove Safety officer from tess")
        self.assertContains(response, "Remove Admin from olga")
        self.assertNotContains(response, "from vic")

    def test_its_query_count_does_not_grow_with_the_grants(self):
        with self.assertNumQueries(3):  # session with the member, roles and notices; 2 lists
            self.client.get(self.url)
        for i in range(6):
            make_member(f"helper{i}", roles=[Role.TRIAGER, Role.DISPATCHER])
        with self.assertNumQueries(3):
            self.client.get(self.url)

    def test_an_admin_grants_a_role(self):
        response = self.client.post(self.url, {"handle": "@VIC", "role": Role.DISPATCHER})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(
            set(self.volunteer.role_grants.values_list("role", flat=True)), {Role.DISPATCHER}
        )
        self.assertContains(self.client.get(self.url), "vic is now a Dispatcher.")

    def test_bad_input_is_refused_with_a_clear_message(self):
        services.role_grant(member=self.volunteer, role=Role.TRIAGER, by=self.organizer)
        cases = [
            ({"handle": "nobody", "role": Role.ADMIN}, "No active member has that handle."),
            ({"handle": "vic", "role": "king"}, "Select a valid choice."),
            ({"handle": "vic", "role": Role.TRIAGER}, "vic is already a Triager."),
            ({"handle": "", "role": Role.TRIAGER}, "This field is required."),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                before = (grants(), TrustEvent.objects.count())
                response = self.client.post(self.url, data)
                self.assertContains(response, message, status_code=422)
                self.assertEqual((grants(), TrustEvent.objects.count()), before)


class OrganizeLinkTestCase(NetworkAdminTestCase):
    def test_it_shows_to_organizers_only(self):
        board = reverse("aid:board")
        # Every organizer's "Organize" goes to the Organize home (dispatch:organize).
        organize_link = f'<a href="{reverse("dispatch:organize")}" >Organize</a>'
        self.assertContains(self.client.get(board), organize_link, html=False)
        self.client.force_login(self.triager)
        self.assertContains(self.client.get(board), organize_link, html=False)
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get(board), "Organize")
