from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.access import role_required
from mutualaid.trust.models import Role


@role_required(Role.SAFETY)
def safety_page(request):
    return HttpResponse("ok")


@role_required()
def any_organizer_page(request):
    return HttpResponse("ok")


class RoleRequiredTestCase(BaseTestCase):
    def call(self, view, member):
        request = RequestFactory().get("/somewhere/")
        request.user = member
        return view(request)

    def test_the_role_holder_gets_in(self):
        officer = make_member("officer", roles=[Role.SAFETY])
        self.assertEqual(self.call(safety_page, officer).status_code, 200)

    def test_another_role_is_refused(self):
        triager = make_member("tri", roles=[Role.TRIAGER])
        with self.assertRaises(PermissionDenied):
            self.call(safety_page, triager)
        self.assertEqual(self.call(any_organizer_page, triager).status_code, 200)

    def test_a_member_is_refused_and_a_visitor_sent_to_log_in(self):
        with self.assertRaises(PermissionDenied):
            self.call(any_organizer_page, self.outsider)
        from django.contrib.auth.models import AnonymousUser

        response = self.call(any_organizer_page, AnonymousUser())
        self.assertEqual(response.status_code, 302)
