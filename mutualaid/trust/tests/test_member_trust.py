from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing, make_member
from mutualaid.trust.models import Level, Role, RoleGrant


class NewcomerTestCase(BaseTestCase):
    def setUp(self):
        self.newcomer = make_member("newt", area=self.north, level=Level.NEWCOMER)

    def test_a_newcomer_can_post_a_need(self):
        need = self.post_need(requester=self.newcomer)
        self.assertEqual(need.status, NeedStatus.OPEN)

    def test_a_newcomer_cannot_claim_and_is_told_how_to_get_there(self):
        need = self.post_need()
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, "vouched members"),
        ):
            services.need_claim(need=need, member=self.newcomer)

    def test_the_need_page_offers_a_newcomer_no_claim_button(self):
        need = self.post_need()
        self.client.force_login(self.newcomer)
        response = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertNotContains(response, "I can help")
        response = self.client.post(reverse("aid:need_claim", args=[need.code]))
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)


class RolesTestCase(BaseTestCase):
    def test_an_organizer_is_a_member_holding_any_role(self):
        self.assertFalse(self.volunteer.is_organizer)
        triager = make_member("tri", roles=[Role.TRIAGER])
        self.assertTrue(triager.is_organizer)
        self.assertTrue(triager.has_role(Role.TRIAGER))
        self.assertFalse(triager.has_role(Role.ADMIN))

    def test_a_removed_role_is_gone_on_the_next_read(self):
        self.assertTrue(self.organizer.has_role(Role.ADMIN))  # read (and cached) once
        grant = RoleGrant.objects.get(member=self.organizer, role=Role.ADMIN)
        grant.removed_at = timezone.now()
        grant.save()
        fresh = type(self.organizer).objects.get(pk=self.organizer.pk)
        self.assertFalse(fresh.has_role(Role.ADMIN))
        self.assertEqual(fresh.roles, {Role.DISPATCHER})  # the persona also dispatches
        RoleGrant.objects.filter(member=self.organizer).update(removed_at=timezone.now())
        fresh = type(self.organizer).objects.get(pk=self.organizer.pk)
        self.assertFalse(fresh.is_organizer)

    def test_createsuperuser_makes_an_approved_admin(self):
        admin = type(self.organizer).objects.create_superuser("first.admin", "a long password 1")
        self.assertTrue(admin.has_role(Role.ADMIN))
        self.assertTrue(admin.is_vouched())
