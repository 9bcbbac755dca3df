import uuid

from django.urls import reverse

from mutualaid.test import BaseTestCase


class ErrorPagesTestCase(BaseTestCase):
    def test_a_missing_need_gets_our_404_page_with_a_way_back(self):
        self.client.force_login(self.outsider)
        response = self.client.get(reverse("aid:need", args=[uuid.uuid4()]))
        self.assertContains(response, "This page is not here", status_code=404)
        self.assertContains(response, 'name="viewport"', status_code=404)
        self.assertContains(response, 'href="/"', status_code=404)

    def test_an_unknown_address_gets_our_404_page_too(self):
        response = self.client.get("/no/such/page/")
        self.assertContains(response, "This page is not here", status_code=404)
