"""Pages are gated by a capability of the roles held now, never by a role's name."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from mutualaid.accounts.models import Role
from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required
from mutualaid.test import BaseTestCase, make_member


@capability_required(Capability.HANDLE_REPORTS)
def reports_page(request):
    return HttpResponse("ok")


@capability_required(Capability.VIEW_TRUST)
def trust_page(request):
    return HttpResponse("ok")


class CapabilityRequiredTestCase(BaseTestCase):
    def call(self, view, member):
        request = RequestFactory().get("/somewhere/")
        request.user = member
        return view(request)

    def test_a_role_carrying_the_capability_gets_in(self):
        officer = make_member("officer", roles=[Role.SAFETY])
        self.assertEqual(self.call(reports_page, officer).status_code, 200)

    def test_a_role_without_it_is_refused(self):
        triager = make_member("tri", roles=[Role.TRIAGER])
        with self.assertRaises(PermissionDenied):
            self.call(reports_page, triager)
        self.assertEqual(self.call(trust_page, triager).status_code, 200)

    def test_a_member_is_refused_and_a_visitor_sent_to_log_in(self):
        with self.assertRaises(PermissionDenied):
            self.call(trust_page, self.outsider)
        response = self.call(trust_page, AnonymousUser())
        self.assertEqual(response.status_code, 302)

    def test_a_removed_role_stops_working_on_the_next_request(self):
        officer = make_member("officer", roles=[Role.SAFETY])
        self.assertEqual(self.call(reports_page, officer).status_code, 200)
        officer.role_grants.update(removed_at=officer.date_joined)
        fresh = type(officer).objects.get(pk=officer.pk)  # the next request loads the member anew
        with self.assertRaises(PermissionDenied):
            self.call(reports_page, fresh)
