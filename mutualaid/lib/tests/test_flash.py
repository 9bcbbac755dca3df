"""{% flash %} (lib/flash.py): every page's notice area, empty as the template renders it when
there is nothing to say, and the messages shown once when there are."""

from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template import engines
from django.test import RequestFactory, SimpleTestCase


def request_with(*texts):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    for text in texts:
        messages.success(request, text)
    return request


def rendered(source, request):
    return engines["django"].from_string(source).render({}, request)


class FlashTestCase(SimpleTestCase):
    def test_empty_it_is_the_templates_own_empty_area(self):
        for oob in (False, True):
            with self.subTest(oob=oob):
                ours = rendered(f"{{% load flash %}}{{% flash oob={oob} %}}", request_with())
                theirs = rendered(
                    f'{{% include "includes/messages.html" with oob={oob} %}}', request_with()
                )
                self.assertEqual(ours, theirs)
                self.assertIn('id="flash"', ours)
                self.assertEqual('hx-swap-oob="true"' in ours, oob)
        again = rendered("{% load flash %}{% flash %}", request_with())  # kept: the same
        self.assertEqual(again, rendered('{% include "includes/messages.html" %}', request_with()))

    def test_messages_are_shown_escaped_and_only_once(self):
        request = request_with("Saved <b>it</b>", "And this")
        page = rendered("{% load flash %}{% flash oob=True %}", request)
        self.assertIn('<p class="flash-success">Saved &lt;b&gt;it&lt;/b&gt;</p>', page)
        self.assertIn("And this", page)
        self.assertIn('hx-swap-oob="true"', page)
        request._messages.update(_Response())  # as the middleware does when the page is sent
        request._messages = FallbackStorage(request)  # the next page, with the same session
        self.assertNotIn("And this", rendered("{% load flash %}{% flash %}", request))


class _Response:
    def __init__(self):
        self.cookies = {}

    def set_cookie(self, *args, **kwargs):
        pass

    def delete_cookie(self, *args, **kwargs):
        pass
