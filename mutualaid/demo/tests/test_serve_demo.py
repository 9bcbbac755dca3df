import os
import socket
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import SimpleTestCase

from mutualaid.demo.management.commands import serve_demo

RUNSERVER = "mutualaid.demo.management.commands.serve_demo.call_command"


def a_free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(*args):
    out = StringIO()
    with mock.patch(RUNSERVER) as runserver:
        call_command("serve_demo", *args, "--without-worker", stdout=out)
    (_, addrport), options = runserver.call_args
    return out.getvalue(), addrport, options


class ServeDemoTest(SimpleTestCase):
    def setUp(self):
        # The command hands the port it chose to the reloader's child through the environment;
        # each test starts as a first process would, and the environment is restored after it.
        environment = mock.patch.dict(os.environ)
        environment.start()
        self.addCleanup(environment.stop)
        os.environ.pop(serve_demo.PORT_ENV, None)
        os.environ.pop("RUN_MAIN", None)

    def test_it_serves_the_port_asked_for_when_it_is_free(self):
        port = a_free_port()
        output, addrport, options = serve("--port", str(port))
        self.assertEqual(addrport, f"127.0.0.1:{port}")
        self.assertTrue(options["skip_checks"])
        self.assertIn(f"Serving the demo network on http://127.0.0.1:{port}/", output)
        self.assertNotIn("taken", output)

    def test_it_serves_the_next_free_port_and_prints_that_one(self):
        with socket.socket() as server:  # something already listens on the port asked for
            server.bind(("127.0.0.1", 0))
            server.listen()
            taken = server.getsockname()[1]
            self.assertFalse(serve_demo.port_is_free("127.0.0.1", taken))
            output, addrport, _ = serve("--port", str(taken))
        host, port = addrport.rsplit(":", 1)
        self.assertEqual(host, "127.0.0.1")
        self.assertGreater(int(port), taken)
        self.assertIn(f"Serving the demo network on http://127.0.0.1:{port}/", output)
        self.assertIn(f"port {taken} is taken", output)
        self.assertNotIn(f"http://127.0.0.1:{taken}/", output)
        self.assertEqual(os.environ[serve_demo.PORT_ENV], port)

    def test_the_reloaders_child_serves_the_port_its_parent_chose(self):
        os.environ.update({"RUN_MAIN": "true", serve_demo.PORT_ENV: "8123"})
        with mock.patch.object(serve_demo, "free_port") as free_port:
            output, addrport, _ = serve("--port", "8000")
        free_port.assert_not_called()
        self.assertEqual(addrport, "127.0.0.1:8123")
        self.assertEqual(output, "")  # the parent said it already
