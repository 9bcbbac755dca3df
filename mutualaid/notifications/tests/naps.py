"""A task for test_worker_heartbeat: it keeps its worker busy for as long as a file exists."""

import time
from pathlib import Path

from django_tasks import task


@task()
def nap(while_exists: str) -> None:
    while Path(while_exists).exists():
        time.sleep(0.05)
