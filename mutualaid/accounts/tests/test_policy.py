"""Roles become capabilities in one table; views, selectors and templates ask the policy."""

from pathlib import Path

from django.test import SimpleTestCase
from django.urls import reverse

from mutualaid.accounts.models import Role
from mutualaid.accounts.policy import ROLE_CAPABILITIES, Capability, capabilities_of
from mutualaid.aid import selectors
from mutualaid.aid.models import PrivateAccess
from mutualaid.test import BaseTestCase, make_member, share_private_text

PACKAGE = Path(__file__).resolve().parents[2]


class PolicyTableTestCase(SimpleTestCase):
    def test_every_role_has_a_row_and_every_capability_a_holder(self):
        self.assertEqual(set(ROLE_CAPABILITIES), set(Role.values))
        held = set().union(*ROLE_CAPABILITIES.values())
        self.assertEqual(held, set(Capability.values))

    def test_who_reads_private_text(self):
        self.assertIn(Capability.READ_PRIVATE, capabilities_of([Role.TRIAGER]))
        self.assertIn(Capability.READ_PRIVATE, capabilities_of([Role.DISPATCHER]))
        self.assertNotIn(Capability.READ_PRIVATE, capabilities_of([Role.ADMIN]))
        self.assertNotIn(Capability.READ_PRIVATE, capabilities_of([Role.SAFETY]))
        self.assertIn(Capability.READ_REPORTED, capabilities_of([Role.SAFETY]))

    def test_no_view_or_template_names_a_role(self):
        offenders = []
        for path in PACKAGE.rglob("*"):
            if "tests" in path.parts or "migrations" in path.parts or not path.is_file():
                continue
            if path.suffix == ".html" or (path.suffix == ".py" and "views" in str(path)):
                text = path.read_text()
                if "has_role(" in text or "Role." in text or "user.roles" in text:
                    offenders.append(str(path.relative_to(PACKAGE)))
        self.assertEqual(offenders, [])


class AdminsDoNotReadPrivateTextTestCase(BaseTestCase):
    def test_an_admin_alone_reads_no_private_text_and_leaves_no_record(self):
        admin = make_member("ada", roles=[Role.ADMIN])
        need = self.claimed_need()
        share_private_text(need)
        self.assertFalse(selectors.need_private_text(need, admin))
        self.assertFalse(PrivateAccess.objects.filter(viewer=admin).exists())
        self.client.force_login(admin)
        page = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertEqual(page.status_code, 200)  # an admin sees every need's public face
        self.assertNotContains(page, "Flat 3B")

    def test_a_dispatcher_reads_it_and_the_read_is_recorded(self):
        dispatcher = make_member("dina", roles=[Role.DISPATCHER])
        need = self.claimed_need()
        share_private_text(need)
        text = selectors.need_private_text(need, dispatcher)
        self.assertIn("Flat 3B", text.details)
        self.assertEqual(
            set(PrivateAccess.objects.filter(viewer=dispatcher).values_list("what", flat=True)),
            {"details", "messages", "contact"},
        )

    def test_the_outsider_reads_nothing(self):
        need = self.claimed_need()
        self.assertFalse(selectors.need_private_text(need, self.outsider))
