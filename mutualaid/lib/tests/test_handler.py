"""The WSGI handler remembers which view each address leads to (lib/handler.py): the same view and
arguments as Django finds, each request its own copy, and an address that leads nowhere still a
404, not kept."""

import io
from urllib.parse import urlsplit

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse

from mutualaid.lib.handler import Handler
from mutualaid.test import BaseTestCase


def environ(path: str, cookie: str = "") -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }


class HandlerTestCase(BaseTestCase):
    def setUp(self):
        # As Django's test client does: the test's transaction keeps its connection open.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        self.handler = Handler()
        self.matches = []
        self.statuses = []
        self.handler.resolve_request = self.keeping(self.handler.resolve_request)

    def keeping(self, resolve):
        def resolve_and_keep(request):
            match = resolve(request)
            self.matches.append(match)
            return match

        return resolve_and_keep

    def get(self, path: str, cookie: str = ""):
        def start_response(status, headers, exc_info=None):
            self.statuses.append((int(status.split()[0]), dict(headers)))

        body = b"".join(self.handler(environ(path, cookie), start_response))
        return *self.statuses[-1], body

    def logged_in_cookie(self) -> str:
        self.client.force_login(self.volunteer)
        return f"sessionid={self.client.cookies['sessionid'].value}"

    def test_the_same_view_each_time_each_request_its_own_copy(self):
        need = self.post_need()
        path = reverse("aid:need", kwargs={"code": need.code})
        cookie = self.logged_in_cookie()
        for _ in range(2):
            status, _headers, body = self.get(path, cookie)
            self.assertEqual(status, 200)
            self.assertIn(need.summary.encode(), body)
        first, second = self.matches
        self.assertIsNot(first, second)
        self.assertEqual(
            (first.func, first.kwargs, first.view_name),
            (second.func, second.kwargs, second.view_name),
        )
        self.assertEqual(first.kwargs, {"code": need.code})
        first.kwargs["code"] = "changed"  # a middleware that changed it changes no other request's
        self.get(path, cookie)
        self.assertEqual(self.matches[2].kwargs, {"code": need.code})

    def test_an_address_that_leads_nowhere_is_a_404_and_not_kept(self):
        for _ in range(2):
            status, _headers, _body = self.get("/no/such/address/")
            self.assertEqual(status, 404)
        self.assertFalse([key for key in self.handler._resolved if key[1] == "/no/such/address/"])

    def test_an_outsider_is_sent_to_log_in(self):
        path = reverse("privacy:export")
        for _ in range(2):
            status, headers, _body = self.get(path)
            self.assertEqual(status, 302)
            self.assertEqual(urlsplit(headers["Location"]).path, reverse("accounts:login"))
