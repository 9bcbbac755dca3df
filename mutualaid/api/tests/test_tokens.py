"""Making and revoking tokens: the services, the account page's section, the organizers' page."""

import hashlib

from django.test import Client
from django.urls import reverse

from mutualaid.api import services
from mutualaid.api.models import ApiToken, ApiTokenChange, Scope, TokenAction, TokenKind
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role


class TokenServiceTests(BaseTestCase):
    def test_a_token_keeps_only_the_digest_of_its_secret(self):
        token, secret = services.token_create(member=self.volunteer, name="calendar", scope="read")
        self.assertTrue(secret.startswith("mam_"))
        self.assertGreaterEqual(len(secret), 40)
        self.assertEqual(token.digest, hashlib.sha256(secret.encode()).hexdigest())
        self.assertEqual(token.prefix, secret[:12])
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        self.assertNotIn(secret, str(stored))
        change = ApiTokenChange.objects.get(token=token)
        self.assertEqual(change.action, TokenAction.CREATED)
        self.assertEqual(change.actor, self.volunteer)
        self.assertEqual(change.new["scope"], "read")
        self.assertNotIn(secret, str(change.new))

    def test_a_name_and_a_scope_are_required(self):
        for name, scope, code in (
            ("  ", "read", "empty"),
            ("x" * 61, "read", "too_long"),
            ("ok", "admin", "invalid"),
        ):
            with self.subTest(code), self.assertRaises(Refusal) as refusal:
                services.token_create(member=self.volunteer, name=name, scope=scope)
            self.assertEqual(refusal.exception.code, code)
        self.assertFalse(ApiToken.objects.exists())

    def test_a_member_holds_so_many_tokens_at_most(self):
        for n in range(services.MEMBER_TOKENS_MAX):
            services.token_create(member=self.volunteer, name=f"t{n}", scope="read")
        with self.assertRaises(Refusal) as refusal:
            services.token_create(member=self.volunteer, name="one more", scope="read")
        self.assertEqual(refusal.exception.code, "too_many")

    def test_a_suspended_member_makes_none(self):
        suspended = make_member("sid", level=Level.SUSPENDED)
        with self.assertRaises(Refusal) as refusal:
            services.token_create(member=suspended, name="x", scope="read")
        self.assertEqual(refusal.exception.code, "suspended")

    def test_only_its_owner_revokes_a_member_token_and_only_once(self):
        token, _secret = services.token_create(member=self.volunteer, name="x", scope="read")
        for other in (self.requester, self.organizer):
            with self.assertRaises(Refusal):
                services.token_revoke(token=token, by=other)
        services.token_revoke(token=token, by=self.volunteer)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        with self.assertRaises(Refusal) as refusal:
            services.token_revoke(token=token, by=self.volunteer)
        self.assertEqual(refusal.exception.code, "stale")
        self.assertEqual(
            list(token.changes.order_by("pk").values_list("action", flat=True)),
            [TokenAction.CREATED, TokenAction.REVOKED],
        )

    def test_integration_tokens_are_the_configurers_and_only_read(self):
        dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        for who in (self.volunteer, dispatcher):
            with self.assertRaises(Refusal) as refusal:
                services.integration_token_create(by=who, name="dashboard")
            self.assertEqual(refusal.exception.code, "forbidden")
        token, secret = services.integration_token_create(by=self.organizer, name="dashboard")
        self.assertTrue(secret.startswith("mai_"))
        self.assertEqual(
            (token.kind, token.scope, token.member), (TokenKind.INTEGRATION, Scope.READ, None)
        )
        with self.assertRaises(Refusal):
            services.token_revoke(token=token, by=dispatcher)
        admin = make_member("ada", roles=[Role.ADMIN])
        services.token_revoke(token=token, by=admin)  # any admin, not only its maker

    def test_a_member_who_leaves_takes_their_tokens_along(self):
        from mutualaid.privacy.services import member_delete

        services.token_create(member=self.outsider, name="x", scope="write")
        member_delete(member=self.outsider)
        self.assertFalse(ApiToken.objects.exists())
        self.assertFalse(ApiTokenChange.objects.exists())


class AccountTokensPageTests(BaseTestCase):
    def test_the_account_page_lists_the_members_own_tokens(self):
        services.token_create(member=self.volunteer, name="my calendar", scope="read")
        services.token_create(member=self.outsider, name="otto's bot", scope="read")
        self.client.force_login(self.volunteer)
        page = self.client.get(reverse("accounts:account"))
        self.assertContains(page, 'id="api-tokens"')
        self.assertContains(page, "my calendar")
        self.assertNotContains(page, "otto's bot")
        self.assertContains(page, reverse("api:token_new"))

    def test_making_a_token_shows_its_secret_once(self):
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.get(reverse("api:token_new")).status_code, 200)
        page = self.client.post(reverse("api:token_new"), {"name": "sheet", "scope": "write"})
        self.assertEqual(page.status_code, 200)
        secret = page.context["secret"]
        self.assertContains(page, secret)
        self.assertIn("no-store", page["Cache-Control"])
        token = ApiToken.objects.get()
        self.assertEqual((token.member, token.scope), (self.volunteer, Scope.WRITE))
        self.assertNotContains(self.client.get(reverse("accounts:account")), secret)

    def test_a_bad_name_is_said_and_nothing_made(self):
        self.client.force_login(self.volunteer)
        page = self.client.post(reverse("api:token_new"), {"name": "", "scope": "write"})
        self.assertEqual(page.status_code, 422)
        self.assertFalse(ApiToken.objects.exists())

    def test_a_member_revokes_their_own_and_nobody_elses(self):
        mine, _ = services.token_create(member=self.volunteer, name="mine", scope="read")
        theirs, _ = services.token_create(member=self.outsider, name="theirs", scope="read")
        self.client.force_login(self.volunteer)
        url = reverse("api:token_revoke", args=[theirs.code])
        self.assertEqual(self.client.post(url).status_code, 404)
        response = self.client.post(reverse("api:token_revoke", args=[mine.code]))
        self.assertRedirects(response, reverse("accounts:account") + "#api-tokens")
        mine.refresh_from_db(), theirs.refresh_from_db()
        self.assertIsNotNone(mine.revoked_at)
        self.assertIsNone(theirs.revoked_at)
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_a_visitor_is_sent_to_log_in(self):
        token, _ = services.token_create(member=self.volunteer, name="mine", scope="read")
        for url in (reverse("api:token_new"), reverse("api:token_revoke", args=[token.code])):
            response = Client().post(url, {"name": "x", "scope": "read"})
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(ApiToken.objects.count(), 1)


class IntegrationsPageTests(BaseTestCase):
    def test_admins_make_list_and_revoke_integration_tokens(self):
        self.client.force_login(self.organizer)
        page = self.client.post(reverse("api:integrations"), {"name": "funders"})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, page.context["secret"])
        token = ApiToken.objects.get()
        listing = self.client.get(reverse("api:integrations"))
        self.assertContains(listing, "funders")
        self.assertContains(listing, token.prefix)
        self.assertNotContains(listing, page.context["secret"])
        self.client.post(reverse("api:integration_revoke", args=[token.code]))
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

    def test_anyone_else_is_refused(self):
        token, _ = services.integration_token_create(by=self.organizer, name="funders")
        dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        for member in (self.volunteer, self.outsider, dispatcher):
            client = Client()
            client.force_login(member)
            with self.subTest(member.handle):
                self.assertEqual(client.get(reverse("api:integrations")).status_code, 403)
                self.assertEqual(
                    client.post(reverse("api:integrations"), {"name": "x"}).status_code, 403
                )
                url = reverse("api:integration_revoke", args=[token.code])
                self.assertEqual(client.post(url).status_code, 403)
        response = Client().get(reverse("api:integrations"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ApiToken.objects.filter(revoked_at__isnull=True).count(), 1)

    def test_a_member_token_is_not_revoked_from_here(self):
        token, _ = services.token_create(member=self.volunteer, name="mine", scope="read")
        self.client.force_login(self.organizer)
        url = reverse("api:integration_revoke", args=[token.code])
        self.assertEqual(self.client.post(url).status_code, 404)


class TokensInTheMembersFileTests(BaseTestCase):
    def test_the_export_names_the_members_tokens_and_never_a_secret(self):
        from mutualaid.privacy.selectors import member_export

        token, secret = services.token_create(member=self.volunteer, name="calendar", scope="read")
        services.token_revoke(token=token, by=self.volunteer)
        services.token_create(member=self.requester, name="not theirs", scope="read")
        tokens = member_export(self.volunteer)["api_tokens"]
        self.assertEqual([t["name"] for t in tokens], ["calendar"])
        self.assertIsNotNone(tokens[0]["revoked_at"])
        self.assertNotIn(secret, str(tokens))
        self.assertNotIn(token.digest, str(tokens))
