"""Serve the demo network with runserver on the first free port from ``--port``, and say which.

``make demo`` runs this last. If something already listens on 127.0.0.1:8000, the demo is served on
the next free port, and the address printed is always the one really served.
"""

import os
import socket
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import autoreload

# The port the first process chose, for the autoreloader's child process (which runs this command
# again, and must serve the same port rather than look for another).
PORT_ENV = "MUTUALAID_DEMO_PORT"
TRIES = 20


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port now (bound as runserver binds it)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        # As runserver's own socket does: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True


def free_port(host: str, first: int, tries: int = TRIES) -> int:
    for port in range(first, first + tries):
        if port_is_free(host, port):
            return port
    raise CommandError(f"No free port on {host} from {first} to {first + tries - 1}.")


class Command(BaseCommand):
    help = "Serve the demo network on the first free port from --port, printing its address."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--without-worker", action="store_true", help="serve pages only, sending nothing"
        )

    def handle(self, *args, host, port, without_worker, **options):
        served = f"[{host}]" if ":" in host else host
        worker = None
        if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true" and PORT_ENV in os.environ:
            chosen = int(os.environ[PORT_ENV])  # the reloader's child: the port is chosen
        else:
            chosen = free_port(host, port)
            os.environ[PORT_ENV] = str(chosen)
            taken = f"  (port {port} is taken)" if chosen != port else ""
            self.stdout.write(
                f"\n  Serving the demo network on http://{served}:{chosen}/{taken}"
                "  (Ctrl-C stops it)\n"
            )
            if not without_worker:
                # Once, in the first process (not the reloader's child): what the pages promise
                # ("we will tell you") is sent by the worker, as in production.
                self.stdout.write("  with the background worker beside it, sending notifications\n")
                worker = subprocess.Popen([sys.executable, "manage.py", "worker"])  # noqa: S603
        try:
            call_command("runserver", f"{served}:{chosen}", skip_checks=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
