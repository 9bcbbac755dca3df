"""What the safety tests share: a safety officer, and the rows a refusal must not write."""

from mutualaid.accounts.models import Block, Notice
from mutualaid.safety.models import Report
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

    def assertNothingChanged(self, before):  # noqa: N802 (unittest style)
        self.assertEqual(safety_counts(), before)
