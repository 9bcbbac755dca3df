"""A worker for test_outbox_worker_killed: sends the outbox through a channel whose far end is a
file, and hangs on the third row, until the test kills it (SIGKILL, mid-batch)."""

import os
import sys
import time

import django


def main(far_end: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualaid.settings")
    django.setup()
    from mutualaid.accounts import services
    from mutualaid.lib import channels

    def send(notice):
        with open(far_end, "a") as far:
            far.write(f"{notice.pk}\n")
            far.flush()
        with open(far_end) as far:
            if len(far.readlines()) == 3:
                time.sleep(600)  # hangs here, after the far end got it, before it is marked sent

    channels.register(channels.Channel(name="test", accepts=lambda m, k: True, send=send))
    services.deliveries_send()


if __name__ == "__main__":
    main(sys.argv[1])
