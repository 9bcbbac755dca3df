"""Random sequences of sign-up, vouch, revoke, suspend, approve: the trust invariants hold.

After every step:
- each member's level is exactly what the record says: suspended if suspended; vouched only with an
  approval after any review hold, or with the network's number of live vouches given after it, each
  by a member who was vouched when giving it; a newcomer otherwise;
- a suspended member can do nothing but read: claiming, vouching, inviting, posting are refused
  and change nothing;
- the tree never loses an edge: vouch rows only grow, and a revoked vouch stays revoked.
"""

import contextlib

from django.db import transaction
from django.test import TestCase
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mutualaid.accounts.models import Member
from mutualaid.accounts.services import member_sign_up
from mutualaid.aid import services as aid_services
from mutualaid.aid.models import Category, Need, Urgency
from mutualaid.areas.models import Area
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import PASSWORD, make_member
from mutualaid.trust import services
from mutualaid.trust.models import Invite, Level, Role, Vouch

pick = st.integers(min_value=0, max_value=10_000)


class TrustMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run is one savepoint inside the test's transaction, rolled back at teardown.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.edges: dict[int, tuple] = {}  # every vouch seen: pk -> (voucher, vouchee, note)
        self.revoked: set[int] = set()
        self.count = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(required=st.integers(min_value=1, max_value=2), limit=st.integers(2, 4))
    def setup(self, required, limit):
        NetworkSettings.objects.update_or_create(
            pk=1,
            defaults={"vouches_required": required, "vouch_wait_days": 0, "vouch_limit": limit},
        )
        self.required = required
        self.area = Area.objects.create(name="Northside")
        self.category = Category.objects.get(slug="groceries")
        self.admin = make_member("adm", organizer=True)
        self.safety = make_member("saf", roles=[Role.SAFETY])
        make_member("root")
        self.need = aid_services.need_post(
            requester=self.admin,
            category=self.category,
            area=self.area,
            summary="Groceries",
            urgency=Urgency.SOON,
        )

    def members(self):
        return list(Member.objects.order_by("pk"))

    def member(self, index) -> Member:
        members = self.members()
        return members[index % len(members)]

    # The steps -------------------------------------------------------------------------------

    @rule()
    def sign_up(self):
        self.count += 1
        member_sign_up(handle=f"new{self.count}", password=PASSWORD)

    @rule(voucher=pick, vouchee=pick)
    def vouch(self, voucher, vouchee):
        voucher, vouchee = self.member(voucher), self.member(vouchee)
        was_vouched = voucher.level == Level.VOUCHED
        before = Vouch.objects.count()
        try:
            vouch = services.vouch_give(voucher=voucher, vouchee=vouchee, note="We met")
        except Refusal:
            assert Vouch.objects.count() == before
        else:
            assert was_vouched, f"{voucher} vouched while {voucher.level}"
            self.edges[vouch.pk] = (voucher.pk, vouchee.pk, "We met")

    @rule(index=pick, by_safety=st.booleans())
    def revoke(self, index, by_safety):
        live = list(Vouch.objects.filter(revoked_at__isnull=True).order_by("pk"))
        if not live:
            return
        vouch = live[index % len(live)]
        by = self.safety if by_safety else vouch.voucher
        services.vouch_revoke(vouch=vouch, by=by)
        self.revoked.add(vouch.pk)

    @rule(index=pick, flag=st.booleans())
    def suspend(self, index, flag):
        member = self.member(index)
        try:
            services.member_suspend(member=member, by=self.safety, reason="Abuse", flag_branch=flag)
        except Refusal:
            member.refresh_from_db()
            assert member.suspended_at is not None or member.pk == self.safety.pk

    @rule(index=pick)
    def unsuspend(self, index):
        member = self.member(index)
        if member.suspended_at is not None:
            services.member_unsuspend(member=member, by=self.safety)

    @rule(index=pick)
    def approve(self, index):
        member = self.member(index)
        with contextlib.suppress(Refusal):
            services.member_approve(member=member, by=self.admin)

    @rule(index=pick)
    def withdraw_approval(self, index):
        member = self.member(index)
        if member.approved_at is not None and member.pk != self.admin.pk:
            services.member_approval_withdraw(member=member, by=self.admin)

    @rule(index=pick)
    def a_suspended_member_tries_to_act(self, index):
        suspended = list(Member.objects.filter(suspended_at__isnull=False).order_by("pk"))
        if not suspended:
            return
        member = suspended[index % len(suspended)]
        other = Member.objects.exclude(pk=member.pk).order_by("pk").first()
        counts = (Vouch.objects.count(), Need.objects.count(), Invite.objects.count())
        attempts = [
            lambda: aid_services.need_claim(need=self.need, member=member),
            lambda: services.vouch_give(voucher=member, vouchee=other, note="Hi"),
            lambda: services.invite_create(inviter=member, note="Hi"),
            lambda: aid_services.need_post(
                requester=member,
                category=self.category,
                area=self.area,
                summary="Help",
                urgency=Urgency.SOON,
            ),
        ]
        for attempt in attempts:
            try:
                attempt()
            except Refusal:
                pass
            else:
                raise AssertionError(f"suspended {member} was allowed to act")
        assert (Vouch.objects.count(), Need.objects.count(), Invite.objects.count()) == counts
        self.need.refresh_from_db()
        assert self.need.claimant_id != member.pk

    # The invariants --------------------------------------------------------------------------

    @invariant()
    def levels_follow_the_record(self):
        if not hasattr(self, "required"):
            return
        for member in self.members():
            hold = member.review_hold_at
            approved = member.approved_at is not None and (
                hold is None or member.approved_at > hold
            )
            vouches = Vouch.objects.filter(
                vouchee=member, revoked_at__isnull=True, voucher__isnull=False
            )
            if hold is not None:
                vouches = vouches.filter(created_at__gt=hold)
            if member.suspended_at is not None:
                expected = Level.SUSPENDED
            elif approved or vouches.count() >= self.required:
                expected = Level.VOUCHED
            else:
                expected = Level.NEWCOMER
            assert member.level == expected, f"{member} is {member.level}, expected {expected}"
            assert (member.vouched_since is not None) == (member.level == Level.VOUCHED)

    @invariant()
    def the_tree_never_loses_an_edge(self):
        rows = {  # the note is sealed: read through the model, which opens it
            vouch.pk: (vouch.voucher_id, vouch.vouchee_id, vouch.note, vouch.revoked_at)
            for vouch in Vouch.objects.only("code", "voucher", "vouchee", "note", "revoked_at")
        }
        for pk, edge in self.edges.items():
            assert pk in rows, f"vouch {pk} is gone"
            assert rows[pk][:3] == edge
        for pk in self.revoked:
            assert rows[pk][3] is not None, f"vouch {pk} was un-revoked"


TrustMachine.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class TrustStatefulTestCase(TestCase):
    def test_the_trust_invariants_hold(self):
        from hypothesis.stateful import run_state_machine_as_test

        run_state_machine_as_test(TrustMachine, settings=TrustMachine.TestCase.settings)
