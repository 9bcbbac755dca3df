from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase
from mutualaid.trust import services
from mutualaid.trust.models import Invite, TrustEvent, TrustEventKind

from .helpers import make_newcomer, trust_unchanged


class InviteCreateTestCase(BaseTestCase):
    def test_it_writes_the_invitation_on_the_inviters_trust_record(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        event = TrustEvent.objects.get(kind=TrustEventKind.INVITE_CREATED)
        self.assertEqual((event.actor, event.member), (self.volunteer, self.volunteer))
        self.assertEqual(event.note, "")  # the note stays on the invite, never on the record
        self.assertEqual(Invite.objects.get().pk, invite.pk)

    def test_a_refused_invitation_writes_nothing(self):
        for inviter, note in ((make_newcomer("newt"), "Friend"), (self.volunteer, "  ")):
            with self.subTest(inviter=inviter), trust_unchanged(self), self.assertRaises(Refusal):
                services.invite_create(inviter=inviter, note=note)
