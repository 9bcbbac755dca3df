"""Every page's menu ({% site_nav %}, accounts/templatetags/nav.py): rendered once for everyone who
may do the same, on the same page, with as many new notices, and kept; each viewer still gets their
own handle on "Log out" and their own CSRF token."""

import re

from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from mutualaid.accounts import services
from mutualaid.accounts.models import Role
from mutualaid.lib.fragments import forget_here
from mutualaid.test import BaseTestCase, make_member

EXPORT = reverse("privacy:export")
NAV = re.compile(r"<nav .*?</nav>", re.S)
LOGOUT_TOKEN = re.compile(r'action="/accounts/logout/"[^>]*><input type="hidden" '
                          r'name="csrfmiddlewaretoken" value="([^"]+)"')  # fmt: skip


def menu(response) -> str:
    return NAV.search(response.content.decode()).group(0)


class MenuTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        forget_here()
        self.renders = []
        template_rendered.connect(self.rendered)
        self.addCleanup(template_rendered.disconnect, self.rendered)

    def rendered(self, sender, template, **kwargs):
        if template.name == "includes/nav.html":
            self.renders.append(template.name)

    def page_as(self, member, url=EXPORT):
        client = Client()
        client.force_login(member)
        return client, client.get(url)

    def test_one_render_serves_two_members_each_with_their_own_handle_and_token(self):
        alice, bruno = make_member("alice"), make_member("bruno")
        alice_client, first = self.page_as(alice)
        bruno_client, second = self.page_as(bruno)
        self.assertEqual(len(self.renders), 1)  # the second menu was the kept one
        self.assertIn("Log out alice", menu(first))
        self.assertIn("Log out bruno", menu(second))
        self.assertNotIn("alice", menu(second))
        for client, response in ((alice_client, first), (bruno_client, second)):
            token = LOGOUT_TOKEN.search(response.content.decode()).group(1)
            secret = client.cookies["csrftoken"].value
            self.assertEqual(_unmask_cipher_token(token), secret)  # the viewer's own
        self.assertEqual(menu(first).replace("alice", "bruno").split("csrfmiddlewaretoken")[0],
                         menu(second).split("csrfmiddlewaretoken")[0])  # fmt: skip
        bruno_client.post(reverse("accounts:logout"))  # the kept form logs its viewer out
        self.assertEqual(bruno_client.get(EXPORT).status_code, 302)

    def test_what_a_member_may_do_has_its_own_menu(self):
        _, plain = self.page_as(make_member("pat"))
        _, officer = self.page_as(make_member("sofia", roles=[Role.SAFETY]))
        self.assertEqual(len(self.renders), 2)
        self.assertNotIn("Reports", menu(plain))
        self.assertIn("Reports", menu(officer))

    def test_new_notices_are_counted_and_the_current_page_marked(self):
        member = make_member("nina")
        services.notify(member=member, kind="message", text="One")
        services.notify(member=member, kind="message", text="Two")
        _, page = self.page_as(member, reverse("aid:board"))
        self.assertIn("(2 new notices)", menu(page))
        self.assertRegex(menu(page), r'href="/needs/" aria-current="page"')
        _, account = self.page_as(member, reverse("accounts:account"))
        self.assertRegex(menu(account), r'href="/me/account/" aria-current="page"')
        self.assertNotRegex(menu(account), r'href="/needs/" aria-current')

    def test_a_visitor_is_offered_to_log_in_or_join(self):
        page = Client().get(reverse("about"))
        self.assertIn("Log in", menu(page))
        self.assertIn("Join", menu(page))
        self.assertNotIn("Log out", menu(page))

    def test_in_spanish_the_menu_is_spanish(self):
        member = make_member("sol")
        member.language = "es"
        member.save()
        _, page = self.page_as(member)
        self.assertIn("Cerrar sesión", menu(page))
        self.assertIn("sol", menu(page))
