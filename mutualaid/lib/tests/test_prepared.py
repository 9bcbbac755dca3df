import uuid
from datetime import timedelta

from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualaid.aid.models import Need
from mutualaid.lib.prepared import PreparedQuery
from mutualaid.test import BaseTestCase, make_member


def needs_query(*, area_ids, since, requester_id=None, newest_first=False):
    needs = Need.objects.filter(area_id__in=area_ids, created_at__gte=since)
    if requester_id is not None:
        needs = needs.filter(requester_id=requester_id)
    return needs.order_by("-pk" if newest_first else "pk").values_list("pk", "code", "summary")


class PreparedQueryTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.prepared = PreparedQuery(needs_query)
        self.north_need = self.post_need(summary="North", area=self.north)
        self.central_need = self.post_need(summary="Central", area=self.central)
        self.other = make_member("other", area=self.north)
        self.others_need = self.post_need(summary="Theirs", area=self.north, requester=self.other)

    def both(self, *, values, shape=None):
        """The prepared rows and the ORM's own for the same values."""
        prepared = self.prepared.rows(values=values, shape=shape)
        orm = list(needs_query(**values, **(shape or {})))
        return prepared, orm

    def test_it_returns_what_the_orm_returns_for_every_value(self):
        since = timezone.now() - timedelta(days=1)
        for values in (
            {"area_ids": [self.north.pk], "since": since},
            {"area_ids": [self.north.pk, self.central.pk], "since": since},
            {"area_ids": [self.central.pk], "since": since},
            {"area_ids": [self.north.pk], "since": timezone.now() + timedelta(days=1)},
            {"area_ids": [self.north.pk], "since": since, "requester_id": self.other.pk},
        ):
            with self.subTest(values=values):
                prepared, orm = self.both(values=values)
                self.assertEqual(prepared, [tuple(row) for row in orm])

    def test_the_shape_is_passed_as_it_is(self):
        since = timezone.now() - timedelta(days=1)
        values = {"area_ids": [self.north.pk, self.central.pk], "since": since}
        prepared, orm = self.both(values=values, shape={"newest_first": True})
        self.assertEqual(prepared, [tuple(row) for row in orm])
        self.assertEqual(prepared[0][0], self.others_need.pk)

    def test_uuids_come_back_as_the_orm_gives_them(self):
        rows = self.prepared.rows(
            values={"area_ids": [self.central.pk], "since": timezone.now() - timedelta(days=1)}
        )
        self.assertEqual(rows, [(self.central_need.pk, self.central_need.code, "Central")])

    def test_it_is_built_once_per_shape(self):
        since = timezone.now() - timedelta(days=1)
        self.prepared.rows(values={"area_ids": [self.north.pk], "since": since})
        self.prepared.rows(values={"area_ids": [self.central.pk], "since": since})
        self.prepared.rows(values={"area_ids": [self.north.pk, self.central.pk], "since": since})
        self.assertEqual(len(self.prepared.kept), 2)  # one list length, then another
        with CaptureQueriesContext(connection) as queries:
            self.prepared.rows(values={"area_ids": [self.far.pk], "since": since})
        self.assertEqual(len(queries), 1)

    def test_a_value_folded_into_the_sql_is_refused(self):
        folded = PreparedQuery(
            # an int the builder writes into the SQL text itself
            lambda *, size: Need.objects.annotate(n=RawSQL(f"{size}", ())).values_list("n")  # noqa: S611
        )
        with self.assertRaisesMessage(ValueError, "does not pass ['size'] as parameters"):
            folded.rows(values={"size": 3})

    def test_a_string_is_passed_as_a_parameter(self):
        by_summary = PreparedQuery(
            lambda *, summary: Need.objects.filter(summary=summary).values_list("pk")
        )
        self.assertEqual(by_summary.rows(values={"summary": "North"}), [(self.north_need.pk,)])
        self.assertEqual(by_summary.rows(values={"summary": "Nowhere"}), [])
        self.assertEqual(by_summary.rows(values={"summary": "x' OR '1'='1"}), [])

    def test_a_string_the_builder_changes_is_refused(self):
        changed = PreparedQuery(
            lambda *, words: Need.objects.filter(summary__contains=words).values_list("pk")
        )
        with self.assertRaisesMessage(ValueError, "does not pass ['words'] as parameters"):
            changed.rows(values={"words": "North"})

    def test_a_value_of_another_type_is_refused(self):
        with self.assertRaisesMessage(TypeError, "an int, a string, a datetime, a UUID or a list"):
            self.prepared.rows(values={"area_ids": 2.5, "since": timezone.now()})


def need_by_code(*, code, area_id=None):
    needs = Need.objects.select_related("area", "requester", "claimant").filter(code=code)
    if area_id is not None:
        needs = needs.filter(area_id=area_id)
    return needs


class PreparedObjectsTestCase(BaseTestCase):
    """objects(): model instances, their select_related rows attached, found by a UUID."""

    def setUp(self):
        super().setUp()
        self.prepared = PreparedQuery(need_by_code)
        self.need = self.post_need(summary="Groceries", area=self.north)
        self.other = self.post_need(summary="A ride", area=self.central)

    def test_it_gives_the_instance_the_orm_gives_with_its_related_rows(self):
        for need in (self.need, self.other):
            with self.subTest(need=need.summary):
                (found,) = self.prepared.objects(values={"code": need.code})
                orm = need_by_code(code=need.code).get()
                self.assertEqual(found, orm)
                self.assertEqual(
                    [getattr(found, f.attname) for f in Need._meta.concrete_fields],
                    [getattr(orm, f.attname) for f in Need._meta.concrete_fields],
                )
                self.assertFalse(found._state.adding)
                with self.assertNumQueries(0):  # already attached, as select_related does
                    self.assertEqual(found.area, need.area)
                    self.assertEqual(found.requester.handle, need.requester.handle)
                    self.assertIsNone(found.claimant)

    def test_a_uuid_that_matches_nothing_and_another_value_narrow_it(self):
        self.assertEqual(self.prepared.objects(values={"code": uuid.uuid4()}), [])
        values = {"code": self.need.code, "area_id": self.central.pk}
        self.assertEqual(self.prepared.objects(values=values), [])
        values = {"code": self.need.code, "area_id": self.north.pk}
        self.assertEqual(self.prepared.objects(values=values), [self.need])

    def test_rows_of_a_values_list_have_no_instances(self):
        with self.assertRaisesMessage(TypeError, "a model queryset"):
            PreparedQuery(needs_query).objects(
                values={"area_ids": [self.north.pk], "since": timezone.now() - timedelta(days=1)}
            )

    def test_later_runs_once_and_only_when_read(self):
        with self.assertNumQueries(0):
            later = self.prepared.later(values={"code": self.need.code})
        with self.assertNumQueries(1):
            self.assertEqual(len(later), 1)
            self.assertEqual(list(later), [self.need])
            self.assertTrue(later)
            self.assertEqual(later[0].area, self.north)
        with self.assertNumQueries(1):
            self.assertFalse(self.prepared.later(values={"code": uuid.uuid4()}))
