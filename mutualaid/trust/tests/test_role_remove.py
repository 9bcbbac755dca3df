from django.test import Client
from django.urls import reverse

from mutualaid.lib.refusal import Refusal
from mutualaid.network.tests.base import NetworkAdminTestCase
from mutualaid.test import make_member
from mutualaid.trust import services
from mutualaid.trust.models import Role, RoleGrant, TrustEvent, TrustEventKind

from .test_role_grant import grants


def remove_url(member, role):
    return reverse("trust:role_remove", args=[member.code, role])


class RoleRemoveServiceTestCase(NetworkAdminTestCase):
    def test_it_ends_the_grant_and_keeps_the_row(self):
        grant = RoleGrant.objects.get(member=self.triager, role=Role.SAFETY)
        services.role_remove(grant=grant, by=self.organizer)
        grant.refresh_from_db()
        self.assertIsNotNone(grant.removed_at)
        self.assertEqual(grant.removed_by, self.organizer)
        self.assertEqual(self.triager.roles, {Role.TRIAGER, Role.DISPATCHER})
        event = TrustEvent.objects.get(member=self.triager)
        self.assertEqual(
            (event.kind, event.note, event.actor),
            (TrustEventKind.ROLE_REMOVED, Role.SAFETY, self.organizer),
        )

    def test_it_refuses_to_remove_a_grant_twice(self):
        grant = RoleGrant.objects.get(member=self.triager, role=Role.SAFETY)
        services.role_remove(grant=grant, by=self.organizer)
        before = (grants(), TrustEvent.objects.count())
        with self.assertRaisesMessage(Refusal, "already removed"):
            services.role_remove(grant=grant, by=self.organizer)  # a stale copy of the row
        self.assertEqual((grants(), TrustEvent.objects.count()), before)

    def test_it_refuses_to_remove_the_last_admin(self):
        grant = RoleGrant.objects.get(member=self.organizer, role=Role.ADMIN)
        with self.assertRaisesMessage(Refusal, "olga is the last admin"):
            services.role_remove(grant=grant, by=self.organizer)
        self.assertIsNone(RoleGrant.objects.get(pk=grant.pk).removed_at)
        # With a second admin, either may step down; then the other is the last.
        other = make_member("ada", roles=[Role.ADMIN])
        services.role_remove(grant=grant, by=self.organizer)
        last = RoleGrant.objects.get(member=other, role=Role.ADMIN)
        with self.assertRaisesMessage(Refusal, "ada is the last admin"):
            services.role_remove(grant=last, by=other)


class RoleRemoveViewTestCase(NetworkAdminTestCase):
    def test_it_refuses_outsiders(self):
        url = remove_url(self.triager, Role.SAFETY)
        self.assert_outsiders_refused(url, method="post", unchanged=grants)
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_an_admin_removes_a_role(self):
        response = self.client.post(remove_url(self.triager, Role.SAFETY))
        self.assertRedirects(response, reverse("trust:organizers"))
        self.assertTrue(
            RoleGrant.objects.filter(
                member=self.triager, role=Role.SAFETY, removed_at__isnull=False
            ).exists()
        )

    def test_a_removed_role_stops_working_on_the_next_request(self):
        admin = make_member("ada", roles=[Role.ADMIN])
        theirs = Client()
        theirs.force_login(admin)
        self.assertEqual(theirs.get(reverse("trust:organizers")).status_code, 200)
        self.client.post(remove_url(admin, Role.ADMIN))
        self.assertEqual(theirs.get(reverse("trust:organizers")).status_code, 403)

    def test_it_refuses_the_last_admin_and_a_role_not_held(self):
        for member, role, message in [
            (self.organizer, Role.ADMIN, "olga is the last admin"),
            (self.volunteer, Role.ADMIN, "That role was already removed."),
            (self.triager, "king", "That role was already removed."),
        ]:
            with self.subTest(role=role):
                before = (grants(), TrustEvent.objects.count())
                response = self.client.post(remove_url(member, role))
                self.assertContains(response, message, status_code=409)
                self.assertEqual((grants(), TrustEvent.objects.count()), before)
