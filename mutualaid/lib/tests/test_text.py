from django.test import SimpleTestCase
from django.utils.safestring import SafeString

from mutualaid.lib.text import render_plain_markdown


class RenderPlainMarkdownTestCase(SimpleTestCase):
    def assertRenders(self, text, html):
        self.assertHTMLEqual(render_plain_markdown(text), html)

    def test_paragraphs_lists_emphasis_and_links(self):
        self.assertRenders(
            "One *two* **three**.\n\nNext.\n\n- a\n- b\n\n1. first\n\n[site](https://x.example)",
            "<p>One <em>two</em> <strong>three</strong>.</p><p>Next.</p>"
            "<ul><li>a</li><li>b</li></ul><ol><li>first</li></ol>"
            '<p><a href="https://x.example" rel="nofollow noopener">site</a></p>',
        )

    def test_every_link_carries_nofollow_noopener(self):
        html = render_plain_markdown("<https://a.example> and [b](mailto:b@example.org)")
        self.assertEqual(html.count('rel="nofollow noopener"'), 2)

    def test_raw_html_is_escaped(self):
        self.assertRenders(
            '<script>alert(1)</script>\n\n<div onclick="x()">hi</div> <b>bold</b>',
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
            '<p>&lt;div onclick="x()"&gt;hi&lt;/div&gt; &lt;b&gt;bold&lt;/b&gt;</p>',
        )

    def test_dangerous_links_are_not_links(self):
        for url in (
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "vbscript:x",
            "file:///etc/passwd",
        ):
            with self.subTest(url=url):
                html = render_plain_markdown(f"[click]({url})")
                self.assertNotIn("<a", html)
                self.assertNotIn('href="', html)

    def test_images_are_not_loaded_from_anywhere(self):
        self.assertNotIn("<img", render_plain_markdown("![pixel](https://tracker.example/p.gif)"))

    def test_no_text_is_empty_and_the_result_is_safe(self):
        self.assertEqual(render_plain_markdown(""), "")
        self.assertEqual(render_plain_markdown("   \n"), "")
        self.assertIsInstance(render_plain_markdown("hi"), SafeString)
