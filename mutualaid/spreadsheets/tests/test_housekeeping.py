"""Uploads go a day after they came, their sealed files and reports with them: housekeeping
queues the task (lib.clocks)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from mutualaid.lib import clocks

from ..models import Upload
from ..services import upload_create
from ..tasks import delete_old_uploads
from .base import ImportTestCase, csv_text


class HousekeepingTestCase(ImportTestCase):
    def upload(self):
        text = csv_text([["What do you need?", "Kind of help"], ["Groceries", "Groceries"]])
        return upload_create(by=self.dispatcher, kind="needs", data=text.encode())

    def test_uploads_a_day_old_are_deleted(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            old = self.upload()
        with time_machine.travel(start + timedelta(hours=20), tick=False):
            recent = self.upload()
        with time_machine.travel(start + timedelta(hours=25), tick=False):
            self.assertEqual(delete_old_uploads.call(), 1)
        self.assertEqual(list(Upload.objects.all()), [recent])
        self.assertFalse(Upload.objects.filter(pk=old.pk).exists())

    def test_housekeeping_queues_it(self):
        self.assertIn("mutualaid.spreadsheets.tasks.delete_old_uploads", clocks.PATHS)
