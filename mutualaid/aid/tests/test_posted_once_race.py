"""The same posting form sent twice at the same moment still makes one need.

Real threads send the form through real connections (a file-backed SQLite database, or
PostgreSQL), so this is a TransactionTestCase: each thread must see what the others committed.
"""

import threading
import time
import uuid
from unittest import skipUnless

from django.db import connection, transaction
from django.test import Client, TransactionTestCase
from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import Category, EventKind, Need, TimelineEvent
from mutualaid.test import make_areas, make_member

SENDERS = 6
ROUNDS = 4


class NeedPostedOnceRaceTestCase(TransactionTestCase):
    # The flush after this test would otherwise wipe the seeded categories for the tests after it.
    serialized_rollback = True

    def setUp(self):
        self.north, *_ = make_areas()
        self.requester = make_member("rosa", area=self.north)

    def in_threads(self, count, work):
        """Run ``work(index)`` in ``count`` threads released together; their results, or the
        error each one met."""
        barrier = threading.Barrier(count, timeout=60)
        results = [None] * count

        def run(index):
            try:
                results[index] = work(index, barrier)
            except BaseException as exc:  # any error at all is what this test looks for
                results[index] = repr(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a sender hung")
        return results

    def test_one_form_sent_by_several_clicks_at_once_posts_one_need(self):
        clients = []
        for _ in range(SENDERS):
            client = Client()
            client.force_login(self.requester)
            clients.append(client)
        for round_number in range(ROUNDS):
            data = {
                "category": "groceries",
                "summary": f"Milk and bread, round {round_number}",
                "area": str(self.north.code),
                "urgency": "soon",
                "idempotency_key": str(uuid.uuid4()),
            }

            def send(index, barrier, data=data):
                barrier.wait()
                response = clients[index].post(reverse("aid:need_new"), data)
                return response.status_code, response.get("Location")

            results = self.in_threads(SENDERS, send)

            need = Need.objects.get(summary=data["summary"])
            where = reverse("aid:need", args=[need.code])
            self.assertEqual(results, [(302, where)] * SENDERS, f"round {round_number}")
            posted = TimelineEvent.objects.filter(need=need, kind=EventKind.NEED_POSTED)
            self.assertEqual(posted.count(), 1)
        self.assertEqual(Need.objects.count(), ROUNDS)

    @skipUnless(connection.vendor == "postgresql", "PostgreSQL lets both insert at once")
    def test_the_second_of_two_racing_posts_finds_the_first_through_the_constraint(self):
        """The first posting holds its transaction open; the second one, which could not see it
        yet, waits on the unique index, and once the first commits, returns its need."""
        groceries = Category.objects.get(slug="groceries")
        key = uuid.uuid4()
        inserted, commit = threading.Event(), threading.Event()
        values = {
            "requester": self.requester,
            "category": groceries,
            "area": self.north,
            "summary": "Milk and bread",
            "urgency": "soon",
            "idempotency_key": key,
        }

        def post(index, barrier):
            if index == 0:
                with transaction.atomic():
                    need = services.need_post(**values)
                    inserted.set()
                    commit.wait(timeout=60)
                return need.pk, need.replayed
            inserted.wait(timeout=60)
            need = services.need_post(**values)
            return need.pk, need.replayed

        def release_when_waiting():
            """Let the first commit once the second waits on a lock in this database."""
            inserted.wait(timeout=60)
            try:
                with connection.cursor() as cursor:
                    for _ in range(6000):  # 60 s at most
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        )
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.01)
            finally:
                commit.set()
                connection.close()

        releaser = threading.Thread(target=release_when_waiting)
        releaser.start()
        results = self.in_threads(2, post)
        releaser.join(timeout=120)

        need = Need.objects.get()
        self.assertEqual(results, [(need.pk, False), (need.pk, True)])
