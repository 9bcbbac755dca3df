"""What the safety tests share: a safety officer, and the rows a refusal must not write."""

from mutualaid.accounts.models import Notice
from mutualaid.aid import services as aid_services
from mutualaid.aid.models import OfferKind
from mutualaid.safety.models import Block, Report
from mutualaid.test import BaseTestCase, make_member, record_counts
from mutualaid.trust.models import Role


def safety_counts() -> dict[str, int]:
    """The loop's rows, and the reports, blocks and notices that safety could write."""
    return {
        **record_counts(),
        "Report": Report.objects.count(),
        "Block": Block.objects.count(),
        "Notice": Notice.objects.count(),
    }


class SafetyTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer = make_member("sofia", roles=[Role.SAFETY])

    def post_offer(self, offerer=None, **fields):
        values = {
            "offerer": offerer or self.volunteer,
            "categories": [self.groceries],
            "areas": [self.north],
            "summary": "Can shop on Saturdays",
            "kind": OfferKind.ONE_OFF,
        }
        values.update(fields)
        return aid_services.offer_post(**values)

    def assertNothingChanged(self, before):  # noqa: N802 (unittest style)
        self.assertEqual(safety_counts(), before)
