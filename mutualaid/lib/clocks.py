"""Periodic tasks of the apps above aid, which ``housekeeping`` queues beside aid's own clocks.

The housekeeping command lives in aid, which may not import the feature apps; each feature app
registers its periodic task here, by its dotted path, from its ``AppConfig.ready()`` instead (a
task imported that early would bind the task backend before the settings are final). A registered
task takes no arguments and must be safe to queue every few minutes (it decides itself whether
work is due).
"""

from django.utils.module_loading import import_string

PATHS: list[str] = []


def register(path: str) -> str:
    if path not in PATHS:
        PATHS.append(path)
    return path


def tasks() -> list:
    return [import_string(path) for path in PATHS]
