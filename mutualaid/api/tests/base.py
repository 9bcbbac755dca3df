"""The API's tests start here: the personas of mutualaid/test.py, each with tokens, and a client
that speaks JSON with a bearer token."""

import json

from django.core.cache import cache
from django.test import Client

from mutualaid.api import services
from mutualaid.api.models import Scope
from mutualaid.test import BaseTestCase

BASE = "/api/v1"


class ApiTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokens = {}
        for persona in ("requester", "volunteer", "organizer", "outsider"):
            member = getattr(cls, persona)
            for scope in Scope.values:
                _token, secret = services.token_create(member=member, name=persona, scope=scope)
                cls.tokens[persona, scope] = secret
        _token, cls.integration = services.integration_token_create(
            by=cls.organizer, name="dashboard"
        )

    def setUp(self):
        super().setUp()
        cache.clear()  # the rate limits' counts
        self.client = Client()

    def token(self, persona="requester", scope=Scope.WRITE) -> str:
        return self.tokens[persona, scope]

    def call(
        self,
        method,
        path,
        body=None,
        *,
        token=None,
        persona=None,
        scope=Scope.WRITE,
        headers=None,
        raw=None,
    ):
        """``method path`` with a token: ``token`` (a secret), or ``persona``'s of ``scope``."""
        if token is None and persona is not None:
            token = self.token(persona, scope)
        extra = {
            "headers": {
                **({"Authorization": f"Bearer {token}"} if token else {}),
                **(headers or {}),
            }
        }
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"content_type": "application/json"} if data is not None else {}
        url = path if path.startswith("/") and path.startswith(BASE) else BASE + path
        response = (
            getattr(self.client, method.lower())(url, data, **kwargs, **extra)
            if data is not None
            else getattr(self.client, method.lower())(url, **extra)
        )
        self.assertTrue(
            response["Content-Type"].startswith("application/json"),
            f"{method} {path} answered {response['Content-Type']}",
        )
        return response

    def get(self, path, persona="requester", **kwargs):
        return self.call("GET", path, persona=persona, **kwargs)

    def post(self, path, body=None, persona="requester", **kwargs):
        return self.call("POST", path, body, persona=persona, **kwargs)

    def assertRefused(self, response, status, code):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response.json()["code"], code, response.content)
        self.assertTrue(response.json()["message"])
