from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    """Moving a group over from spreadsheets: CSV imports of needs, offers, members and
    resources (the command and the upload page), and CSV exports for organizers."""

    name = "mutualaid.spreadsheets"
    verbose_name = "Spreadsheets"

    def ready(self):
        from mutualaid.lib import clocks

        # By its path: importing tasks.py here would bind the task backend too early.
        clocks.register("mutualaid.spreadsheets.tasks.delete_old_uploads")
