"""/healthz: 200 when the database answers and a task worker beat recently, 503 naming what
failed. Anyone may ask, as often as they like, and learns nothing about anybody. (An unreachable
database: test_gunicorn.py, with a real server.)"""

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.utils import timezone

from mutualaid.notifications import workers
from mutualaid.test import BaseTestCase


@override_settings(WORKER_LOST_AFTER_SECONDS=120)
class HealthzTests(BaseTestCase):
    def test_it_is_healthy_when_a_worker_beat_recently(self):
        workers.beat("worker")
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"database": "ok", "worker": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_says_when_no_worker_ever_beat(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"database": "ok", "worker": "no heartbeat yet"})

    def test_it_says_how_long_the_worker_has_been_silent(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            workers.beat("worker")
        with time_machine.travel(start + timedelta(seconds=119), tick=False):
            self.assertEqual(self.client.get("/healthz").status_code, 200)
        with time_machine.travel(start + timedelta(seconds=300), tick=False):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["worker"], "no heartbeat for 300 s")

    def test_it_answers_everyone_the_same_and_is_never_rate_limited(self):
        workers.beat("worker")
        self.client.force_login(self.organizer)
        as_organizer = self.client.get("/healthz")
        self.client.logout()
        answers = [self.client.get("/healthz") for _ in range(100)]
        self.assertEqual({response.status_code for response in answers}, {200})
        self.assertEqual(as_organizer.content, answers[0].content)

    def test_it_only_answers_get(self):
        self.assertEqual(self.client.post("/healthz").status_code, 405)
