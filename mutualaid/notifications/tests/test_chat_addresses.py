"""A member's chat address may not make the server post into its own network."""

from django.test import SimpleTestCase, override_settings

from mutualaid.notifications.channels import chat_url_refusal, post_to_chat


@override_settings(CHAT_ALLOW_PRIVATE_HOSTS=False)
class ChatAddressTestCase(SimpleTestCase):
    def test_a_self_hosted_service_on_a_private_address_is_refused(self):
        for url in (
            "json://127.0.0.1:8080/hook",
            "jsons://10.0.0.5/hook",
            "ntfy://192.168.1.2/topic",
            "mmost://169.254.169.254/token",
            "json://localhost/hook",
        ):
            with self.subTest(url=url):
                self.assertIsNotNone(chat_url_refusal(url))
                with self.assertRaises(ValueError):
                    post_to_chat(url, title="t", body="b")  # refused again at send time

    def test_a_hosted_service_and_a_public_self_hosted_one_are_accepted(self):
        self.assertIsNone(chat_url_refusal("discord://1234567890/abcdefghijklmnop"))
        self.assertIsNone(chat_url_refusal("json://93.184.215.14/hook"))

    def test_not_an_address_at_all(self):
        self.assertEqual(chat_url_refusal("hello there"), "not an apprise URL")

    @override_settings(CHAT_ALLOW_PRIVATE_HOSTS=True)
    def test_a_network_may_allow_its_own_chat_server(self):
        self.assertIsNone(chat_url_refusal("json://127.0.0.1:8080/hook"))
