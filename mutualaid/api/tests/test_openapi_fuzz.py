"""The whole API, from its own OpenAPI document, by Schemathesis: property-based.

Each operation of the document gets its own test: Hypothesis draws requests the document allows
(and, for a few, ones it forbids), each sent with the token of one of the personas below, into a
seeded network, through the WSGI application in-process. Every example starts from the seeded
network again (hypothesis.extra.django rolls each one back). Every answer is held to:

- no server error (5xx), and a status, a Content-Type and a body the document declares;
- a read-only token, an integration token, no token or a revoked one changes no record;
- nobody's private text reaches a token whose member may not read it (each member's private text
  carries their own marker, PRIVATE-<handle>);
- ``/me`` answers about the token's member, nobody else.
"""

import re
import uuid

import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import mutualaid.api.urls  # noqa: F401 (registers every operation)
from mutualaid.aid import services as aid
from mutualaid.aid.models import ContactShare, NeedNote, OfferKind, Visibility
from mutualaid.api import services, spec
from mutualaid.api.models import ApiToken, Scope
from mutualaid.test import BaseTestCase, make_member, snapshot

from .base import BASE

EXAMPLES = 25  # per operation, with data the document allows
NEGATIVE_EXAMPLES = 8  # per operation, with data it forbids
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SCHEMA = schemathesis.openapi.from_dict(spec.document())
APP = get_wsgi_application()

# Persona -> (member handle or None, token scope or kind).
PERSONAS = {
    "requester read": ("rosa", Scope.READ),
    "requester write": ("rosa", Scope.WRITE),
    "volunteer read": ("vic", Scope.READ),
    "volunteer write": ("vic", Scope.WRITE),
    "organizer write": ("olga", Scope.WRITE),
    "outsider write": ("otto", Scope.WRITE),
    "released write": ("rey", Scope.WRITE),
    "integration": (None, "integration"),
    "no token": (None, None),
    "revoked": ("rosa", "revoked"),
}
# The markers each persona may meet in an answer (an organizer reads private text by role).
MAY_READ = {
    "rosa": {"rosa", "vic", "rey"},  # her own, and her volunteers' messages to her
    "vic": {"vic", "rosa"},  # what rosa shares with him on the needs he holds
    "olga": {"rosa", "vic", "otto", "rey"},
    "otto": {"otto"},
    "rey": {"rey"},
}
MARKER = re.compile(r"PRIVATE-(\w+)")


def private(handle: str, what: str) -> str:
    return f"{what} PRIVATE-{handle}"


def state() -> dict:
    return {
        **snapshot(),
        "contacts": list(ContactShare.objects.order_by("pk").values()),
        "notes": list(NeedNote.objects.order_by("pk").values()),
    }


@override_settings(
    RATE_LIMITS={**django_settings.RATE_LIMITS, "api": (0, 60), "api-bad-tokens": (0, 60)}
)
class OpenApiFuzzTests(HypothesisTestCase, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.released = make_member("rey", area=cls.central)
        post = lambda requester=None, **fields: aid.need_post(  # noqa: E731
            requester=requester or cls.requester,
            category=cls.groceries,
            area=cls.north,
            summary="Groceries for a family of four",
            details=private((requester or cls.requester).handle, "Ring twice."),
            urgency="soon",
            **fields,
        )
        open_need = post()
        aid.need_claim(need=open_need, member=cls.released)
        aid.message_send(need=open_need, sender=cls.released, body=private("rey", "At six."))
        aid.need_release(need=open_need, member=cls.released)
        claimed = post()
        aid.need_claim(need=claimed, member=cls.volunteer)
        claimed.refresh_from_db()
        aid.message_send(need=claimed, sender=cls.requester, body=private("rosa", "Code 44."))
        aid.message_send(need=claimed, sender=cls.volunteer, body=private("vic", "See you."))
        aid.contact_share(
            need=claimed, member=cls.requester, kind="text", value=private("rosa", "Shop.")
        )
        fulfilled = post()
        aid.need_claim(need=fulfilled, member=cls.volunteer)
        fulfilled.refresh_from_db()
        aid.need_mark_fulfilled(need=fulfilled, member=cls.volunteer)
        hidden = post(visibility=Visibility.ORGANIZERS, anonymous=True)
        aid.need_assign(need=hidden, volunteer=cls.volunteer, organizer=cls.organizer)
        ottos = post(requester=cls.outsider)
        offer = aid.offer_post(
            offerer=cls.volunteer,
            categories=[cls.groceries],
            areas=[cls.north],
            summary="I can shop on Saturdays",
            kind=OfferKind.ONE_OFF,
        )
        cls.codes = [
            str(each.code) for each in (open_need, claimed, fulfilled, hidden, ottos, offer)
        ]
        cls.secrets = {}
        members = {
            m.handle: m
            for m in (cls.requester, cls.volunteer, cls.organizer, cls.outsider, cls.released)
        }
        for persona, (handle, scope) in PERSONAS.items():
            if scope == "integration":
                cls.secrets[persona] = services.integration_token_create(
                    by=cls.organizer, name="dashboard"
                )[1]
            elif scope == "revoked":
                token, cls.secrets[persona] = services.token_create(
                    member=members[handle], name="old", scope=Scope.WRITE
                )
                services.token_revoke(token=token, by=members[handle])
            elif handle is not None:
                cls.secrets[persona] = services.token_create(
                    member=members[handle], name=persona, scope=scope
                )[1]

    def setUp(self):
        super().setUp()
        # The WSGI handler would close the test's connection at the end of each request, as a
        # server does (and at its start); Django's own test client turns that off the same way.
        for signal in (signals.request_started, signals.request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)

    def exercise(self, operation, data, mode):
        cache.clear()
        case = data.draw(operation.as_strategy(generation_mode=mode), label="case")
        persona = data.draw(st.sampled_from(sorted(PERSONAS)), label="persona")
        handle, scope = PERSONAS[persona]
        if "code" in (case.path_parameters or {}) and mode == schemathesis.GenerationMode.POSITIVE:
            case.path_parameters["code"] = data.draw(
                st.sampled_from([*self.codes, str(uuid.uuid4())]), label="code"
            )
        case.headers = dict(case.headers or {})
        if persona in self.secrets:
            case.headers["Authorization"] = f"Bearer {self.secrets[persona]}"
        else:
            case.headers.pop("Authorization", None)
        before = state()
        response = case.call(base_url=f"http://testserver{BASE}", app=APP)
        checks = CHECKS + ([negative_data_rejection] if mode.name == "NEGATIVE" else [])
        case.validate_response(response, checks=checks)
        text = response.text
        reads_only = scope != Scope.WRITE
        if reads_only:
            self.assertEqual(
                state(),
                before,
                f"{persona} changed records: {case.method} "
                f"{case.formatted_path} answered {response.status_code}",
            )
        for marker in set(MARKER.findall(text)):
            self.assertIn(
                marker,
                MAY_READ.get(handle, set()) if scope not in ("integration", "revoked") else set(),
                f"{persona} read PRIVATE-{marker} in {case.method} {case.formatted_path}",
            )
        if response.status_code == 200 and case.formatted_path.endswith("/me"):
            self.assertEqual(response.json()["handle"], handle)


def _fuzz(operation, mode, examples):
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def test(self, data):
        self.exercise(operation, data, mode)

    return test


for _result in SCHEMA.get_all_operations():
    _operation = _result.ok()
    _name = re.sub(r"\W+", "_", f"{_operation.method} {_operation.path}").strip("_").lower()
    setattr(
        OpenApiFuzzTests,
        f"test_{_name}",
        _fuzz(_operation, schemathesis.GenerationMode.POSITIVE, EXAMPLES),
    )
    _definition = _operation.definition.raw
    if _definition["parameters"] or "requestBody" in _definition or _definition["security"]:
        setattr(
            OpenApiFuzzTests,
            f"test_{_name}_refuses_what_it_forbids",
            _fuzz(_operation, schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        )


class ServedDocumentTests(BaseTestCase):
    def test_the_served_document_is_the_one_tested(self):
        response = self.client.get(f"{BASE}/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), SCHEMA.raw_schema)
        self.assertFalse(ApiToken.objects.exists())
