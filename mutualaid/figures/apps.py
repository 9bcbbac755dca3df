from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """The network's figures: what came in, what was done and how fast, who keeps helping, which
    areas are served worse, for the organizers; and the anonymous figures the public may see."""

    name = "mutualaid.figures"
    verbose_name = "Figures"

    def ready(self):
        from mutualaid.lib import clocks

        # By its path: importing tasks.py here would bind the task backend too early.
        clocks.register("mutualaid.figures.tasks.refresh_figures")
