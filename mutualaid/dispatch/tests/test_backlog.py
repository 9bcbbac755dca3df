"""Assigning the backlog: the proposal is optimal over the candidate graph (checked against an
exhaustive search on small random graphs), respects every volunteer's room, and sending it goes
through the single match's door again, pair by pair."""

from unittest import TestCase

from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid.accounts.services import member_block
from mutualaid.aid import services
from mutualaid.aid.models import NeedStatus, OfferKind, Proposal, Visibility
from mutualaid.dispatch import backlog, matching
from mutualaid.test import BaseTestCase, changes_nothing, make_member
from mutualaid.trust.models import Role


def problem_of(weights: dict, candidates: dict, capacity: dict) -> backlog.Problem:
    """A candidate graph from plain inputs: needs heaviest first, as load_problem orders them."""
    needs = [
        matching.NeedFacts(pk, None, None, None, (), 0)
        for pk in sorted(weights, key=lambda pk: -weights[pk])
    ]
    return backlog.Problem(needs, weights, candidates, {}, capacity, {}, None)


def best_weight(problem: backlog.Problem) -> int:
    """The exact optimum, by trying every assignment (small graphs only)."""
    needs = [need.pk for need in problem.needs]

    def search(i, room):
        if i == len(needs):
            return 0
        need = needs[i]
        best = search(i + 1, room)  # leave it out
        for member in problem.candidates.get(need, ()):
            if room[member] > 0:
                room[member] -= 1
                best = max(best, problem.weights[need] + search(i + 1, room))
                room[member] += 1
        return best

    return search(0, dict(problem.capacity))


@st.composite
def graphs(draw):
    members = draw(st.integers(min_value=1, max_value=4))
    capacity = {m: draw(st.integers(min_value=1, max_value=2)) for m in range(members)}
    count = draw(st.integers(min_value=1, max_value=7))
    weights = {100 + n: draw(st.integers(min_value=1, max_value=4)) for n in range(count)}
    candidates = {
        need: draw(st.permutations(list(capacity)))[
            : draw(st.integers(min_value=0, max_value=members))
        ]
        for need in weights
    }
    return problem_of(weights, candidates, capacity)


def check_plan(test, problem, plan):
    """Every pair is an edge of the graph, and nobody gets more than their room."""
    taken = {}
    for need, member in plan.items():
        test.assertIn(member, problem.candidates[need])
        taken[member] = taken.get(member, 0) + 1
    for member, count in taken.items():
        test.assertLessEqual(count, problem.capacity[member])


class SolveTestCase(TestCase):
    """Plain inputs, no database."""

    @settings(max_examples=300, deadline=None)
    @given(graphs())
    def test_it_matches_the_exact_optimum(self, problem):
        plan = backlog.solve(problem)
        check_plan(self, problem, plan)
        self.assertEqual(problem.weight_of(plan), best_weight(problem))
        greedy = backlog.solve_greedy(problem)
        check_plan(self, problem, greedy)
        self.assertLessEqual(problem.weight_of(greedy), problem.weight_of(plan))

    def test_it_moves_a_volunteer_where_greedy_cannot(self):
        # Both needs' best is volunteer 1; only the first may go to volunteer 2.
        problem = problem_of({10: 2, 11: 2}, {10: [1, 2], 11: [1]}, {1: 1, 2: 1})
        self.assertEqual(backlog.solve(problem), {10: 2, 11: 1})
        self.assertEqual(backlog.solve_greedy(problem), {10: 1})

    def test_the_heavier_need_wins_a_single_volunteer(self):
        problem = problem_of({10: 1, 11: 5}, {10: [1], 11: [1]}, {1: 1})
        self.assertEqual(backlog.solve(problem), {11: 1})


class LoadProblemTestCase(BaseTestCase):
    def test_waiting_needs_organizers_only_included_hidden_left_out(self):
        members_need = self.post_need(summary="On the board")
        private = self.post_need(summary="Somewhere safe", visibility=Visibility.ORGANIZERS)
        hidden = self.post_need(summary="Hidden")
        services.post_hide(post=hidden, by=make_member("sue", roles=[Role.SAFETY]))
        claimed = self.claimed_need(summary="Held")
        problem = backlog.load_problem()
        ids = {need.pk for need in problem.needs}
        self.assertEqual(ids, {members_need.pk, private.pk})
        self.assertNotIn(claimed.pk, ids)
        self.assertNotIn(self.requester.pk, problem.candidates[private.pk])

    def test_room_is_the_limit_less_held_less_proposals_waiting(self):
        self.volunteer.max_active_claims = 2
        self.volunteer.save()
        services.need_claim(need=self.post_need(summary="Held"), member=self.volunteer)
        services.need_assign(
            need=self.post_need(summary="Asked"), volunteer=self.volunteer, organizer=self.organizer
        )
        self.post_need(summary="Waiting")
        problem = backlog.load_problem()
        self.assertNotIn(self.volunteer.pk, problem.capacity)  # 2 - 1 held - 1 asked
        self.assertEqual(problem.capacity[self.outsider.pk], 5)

    def test_each_edge_scores_what_the_engine_says(self):
        self.requester.languages = ["es"]
        self.requester.save()
        for i, area in enumerate((self.north, self.central, self.south, self.far) * 2):
            member = make_member(f"vol{i}", area=area)
            member.languages = ["es"] if i % 2 else []
            member.available_days = [] if i % 3 else [5, 6]
            member.save()
            if i % 3 == 1:
                self.post_offer(
                    offerer=member,
                    areas=[self.far] if i > 3 else [self.north],
                    kind=OfferKind.ONGOING if i % 2 else OfferKind.ONE_OFF,
                )
        done = self.claimed_need(summary="Done before")
        services.need_mark_fulfilled(need=done, member=self.volunteer)
        services.need_confirm(need=done, member=self.requester)
        for area in (self.north, self.south, self.far):
            self.post_need(summary=f"Groceries in {area.name}", area=area)
        problem = backlog.load_problem(top_k=50)
        self.assertGreater(problem.edge_count(), 20)
        for need in problem.needs:
            for pk in problem.candidates[need.pk]:
                member = problem.members[pk]
                offer = matching.best_offer(pk, need, problem.ctx)
                self.assertAlmostEqual(
                    problem.scores[need.pk, pk], matching.points(member, need, problem.ctx, offer)
                )

    def test_a_blocked_pair_is_no_edge(self):
        need = self.post_need()
        member_block(blocker=self.requester, blocked=self.outsider)
        problem = backlog.load_problem()
        self.assertNotIn(self.outsider.pk, problem.candidates[need.pk])
        self.assertIn(self.volunteer.pk, problem.candidates[need.pk])


class SendTestCase(BaseTestCase):
    def test_sending_checks_every_pair_again(self):
        first = self.post_need(summary="First")
        second = self.post_need(requester=make_member("ruth"), summary="Second")
        rows = backlog.propose()
        self.assertEqual({row.need.pk for row in rows}, {first.pk, second.pk})
        pairs = [(row.need.code, row.member.code) for row in rows]
        by_need = {row.need.pk: row.member for row in rows}
        # Meanwhile the requester blocks the volunteer proposed for the first need.
        blocked = type(self.volunteer).objects.get(pk=by_need[first.pk].pk)
        member_block(blocker=self.requester, blocked=blocked)
        result = backlog.send(pairs=pairs, organizer=self.organizer)
        self.assertEqual([need.pk for need, _ in result.sent], [second.pk])
        self.assertEqual(len(result.refused), 1)
        need, volunteer, why = result.refused[0]
        self.assertEqual((need.pk, volunteer.pk), (first.pk, blocked.pk))
        self.assertTrue(str(why))
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.status, NeedStatus.OPEN)
        self.assertEqual(second.status, NeedStatus.PROPOSED)
        self.assertFalse(Proposal.objects.filter(need=first).exists())

    def test_a_need_taken_meanwhile_is_refused_and_nothing_changes(self):
        need = self.post_need()
        rows = backlog.propose()
        services.need_claim(need=need, member=self.outsider)
        with changes_nothing(self):
            result = backlog.send(
                pairs=[(row.need.code, row.member.code) for row in rows], organizer=self.organizer
            )
        self.assertEqual(result.sent, [])
        self.assertEqual(len(result.refused), 1)

    def test_only_a_matcher_may_send(self):
        need = self.post_need()
        with changes_nothing(self):
            result = backlog.send(pairs=[(need.code, self.volunteer.code)], organizer=self.outsider)
        self.assertEqual(result.sent, [])
        self.assertEqual(len(result.refused), 1)
