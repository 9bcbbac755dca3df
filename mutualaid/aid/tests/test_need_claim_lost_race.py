"""The loser of a claim race inside the claim itself (the need was open when their request read it,
and another volunteer took it a moment later) is told that it was taken, as one who came after
it is: not a bare "not found" for a need that is now out of their sight."""

from contextlib import contextmanager

from django.db import connection
from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import Claim, Need, NeedStatus
from mutualaid.test import BaseTestCase, make_member

TAKEN = "Another volunteer has just taken this need"


class NeedClaimLostRaceTestCase(BaseTestCase):
    @contextmanager
    def rival_claims_first(self, need):
        """Another volunteer's claim lands after the request has read the need, as the claim's
        transaction starts (here, inside the test's own, as its savepoint)."""
        rival = make_member("rey", area=self.central)
        came_between = []

        def rival_first(execute, sql, params, many, context):
            if not came_between and sql.startswith("SAVEPOINT"):
                came_between.append(True)
                services.need_claim(need=Need.objects.get(pk=need.pk), member=rival)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(rival_first):
            yield
        self.assertTrue(came_between, "the rival's claim never came in between")
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.CLAIMED, rival))
        self.assertFalse(Claim.objects.filter(need=need, volunteer=self.volunteer).exists())

    def claim(self, need, **headers):
        self.client.force_login(self.volunteer)
        return self.client.post(reverse("aid:need_claim", args=[need.code]), **headers)

    def test_the_loser_is_told_it_was_taken(self):
        need = self.post_need()
        with self.rival_claims_first(need):
            response = self.claim(need)
        self.assertContains(response, TAKEN, status_code=409)

    def test_the_loser_is_told_it_was_taken_with_htmx(self):
        need = self.post_need()
        with self.rival_claims_first(need):
            response = self.claim(need, HTTP_HX_REQUEST="true")
        self.assertContains(response, TAKEN, status_code=409)
        self.assertEqual(response["HX-Retarget"], "#need-panel")
