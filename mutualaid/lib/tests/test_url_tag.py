"""``{% url %}`` of a constant name and arguments is kept on its node (lib/url_tag.py): the same
address Django's reverse gives, under each script prefix; names or arguments from a variable are
reversed each time."""

from django.template import engines
from django.test import SimpleTestCase
from django.urls import clear_script_prefix, reverse, set_script_prefix

from mutualaid.lib.url_tag import KeptURLNode

CODE = "9a3c1d52-6a4e-4a8e-9d1f-1c2b3a4d5e6f"


def template(source: str):
    return engines["django"].from_string(source)


def url_nodes(page):
    return [node for node in page.template.nodelist if isinstance(node, KeptURLNode)]


class KeptURLTestCase(SimpleTestCase):
    def test_every_template_uses_it(self):
        page = template("{% url 'accounts:logout' %}")
        self.assertEqual(len(url_nodes(page)), 1)

    def test_a_constant_address_is_kept_and_is_djangos(self):
        page = template("{% url 'accounts:logout' %}|{% url 'aid:need' code='" + CODE + "' %}")
        self.assertTrue(all(node.constant for node in url_nodes(page)))
        expected = f"{reverse('accounts:logout')}|{reverse('aid:need', kwargs={'code': CODE})}"
        for _ in range(2):  # the second time from what was kept
            self.assertEqual(page.render({}), expected)

    def test_another_script_prefix_gets_its_own_address(self):
        page = template("{% url 'accounts:logout' %}")
        plain = page.render({})
        set_script_prefix("/aid/")
        try:
            self.assertEqual(page.render({}), "/aid" + plain)
        finally:
            clear_script_prefix()
        self.assertEqual(page.render({}), plain)

    def test_as_a_variable(self):
        page = template("{% url 'accounts:logout' as out %}[{{ out }}]")
        for _ in range(2):
            self.assertEqual(page.render({}), f"[{reverse('accounts:logout')}]")

    def test_an_argument_from_a_variable_is_reversed_each_time(self):
        page = template("{% url 'aid:need' code=code %}")
        self.assertFalse(url_nodes(page)[0].constant)
        other = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
        self.assertEqual(page.render({"code": CODE}), reverse("aid:need", kwargs={"code": CODE}))
        self.assertEqual(page.render({"code": other}), reverse("aid:need", kwargs={"code": other}))
