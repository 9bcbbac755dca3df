"""``{% translate %}`` of constant words is kept per language on its node (lib/i18n.py): what it
renders is what Django's renders, in each language, escaped or not, with a context or as a
variable; words that come from a variable are translated afresh each time."""

from django.template import Context, engines
from django.template.backends.django import get_template_tag_modules
from django.template.base import Template as DjangoTemplate
from django.templatetags.i18n import TranslateNode
from django.test import SimpleTestCase
from django.utils.translation import override

from mutualaid.lib.i18n import KeptTranslateNode


def template(source: str):
    return engines["django"].from_string("{% load i18n %}" + source)


class KeptTranslateTestCase(SimpleTestCase):
    def test_constant_words_are_kept_and_follow_the_language(self):
        page = template('{% translate "Log in" %}')
        for _ in range(2):  # the second time from what was kept
            with override("en"):
                self.assertEqual(page.render({}), "Log in")
            with override("es"):
                self.assertEqual(page.render({}), "Iniciar sesión")

    def test_what_it_renders_is_what_djangos_renders(self):
        sources = [
            '{% translate "Log in" %}',
            '{% translate "Report" context "noun: a safety report" %}',
            '{% translate "Log in" as words %}[{{ words }}]',
            '{% translate "Log in" noop %}',
            '{% translate "Log in"|upper %}',
            "{% translate '<b>&' %}",
            "{% autoescape off %}{% translate '<b>&' %}{% endautoescape %}",
            "{% translate '100%% sure' %}",
        ]
        django = engines["django"].engine
        for source in sources:
            ours = template(source)
            theirs = DjangoTemplate("{% load i18n %}" + source, engine=django)
            theirs.nodelist = _with_djangos_nodes(theirs.nodelist)
            for language in ("en", "es"):
                with self.subTest(source=source, language=language), override(language):
                    expected = theirs.render(_context(django))
                    self.assertEqual(ours.render({}), expected)
                    self.assertEqual(ours.render({}), expected)

    def test_words_from_a_variable_are_translated_each_time(self):
        page = template("{% translate words %}")
        node = _translate_node(page)
        self.assertFalse(node.constant)
        with override("es"):
            self.assertEqual(page.render({"words": "Log in"}), "Iniciar sesión")
            self.assertEqual(page.render({"words": "Language"}), "Idioma")

    def test_a_context_from_a_variable_is_not_kept(self):
        page = template('{% translate "Report" context which %}')
        node = _translate_node(page)
        self.assertFalse(node.constant)
        with override("es"):
            self.assertEqual(page.render({"which": "noun: a safety report"}), "Reporte")


class OneNameTakenTwiceTestCase(SimpleTestCase):
    def test_i18n_is_the_only_library_name_taken_twice(self):
        """settings silence Django's check of names taken twice (templates.W003) for this one."""
        ours = engines["django"].engine.libraries
        twice = {
            name: {path, ours[name]}
            for name, path in get_template_tag_modules()
            if name in ours and ours[name] != path
        }
        self.assertEqual(twice, {"i18n": {"django.templatetags.i18n", "mutualaid.lib.i18n"}})


def _translate_node(page):
    return next(node for node in page.template.nodelist if isinstance(node, TranslateNode))


def _with_djangos_nodes(nodelist):
    """The same nodes, each of ours turned back into Django's own TranslateNode."""
    for index, node in enumerate(nodelist):
        if isinstance(node, KeptTranslateNode):
            nodelist[index] = TranslateNode(
                node.filter_expression, node.noop, node.asvar, node.message_context
            )
        for name in getattr(node, "child_nodelists", ()):
            _with_djangos_nodes(getattr(node, name, None) or [])
    return nodelist


def _context(engine):
    return Context({}, autoescape=engine.autoescape)


class LanguageBlockTestCase(SimpleTestCase):
    """A render reads its language once (lib/kept_node.py); {% language %} reads its own."""

    def test_kept_words_and_addresses_follow_a_language_block_and_come_back_after_it(self):
        page = template(
            '{% translate "Log in" %}|{% language "es" %}{% translate "Log in" %}|'
            '{% url "accounts:login" %}{% endlanguage %}|{% translate "Log in" %}'
        )
        for _ in range(2):  # the second time from what was kept
            with override("en"):
                self.assertEqual(page.render({}), "Log in|Iniciar sesión|/accounts/login/|Log in")
            with override("es"):
                self.assertEqual(
                    page.render({}), "Iniciar sesión|Iniciar sesión|/accounts/login/|Iniciar sesión"
                )

    def test_an_include_in_a_language_block_reads_that_language(self):
        page = engines["django"].from_string(
            '{% load i18n %}{% language "es" %}{% include "includes/nav.html" %}{% endlanguage %}'
            '{% translate "Log in" %}'
        )
        with override("en"):
            rendered = page.render({})
        self.assertIn("Iniciar sesión</a>", rendered)  # the menu of a visitor, in Spanish
        self.assertTrue(rendered.endswith("Log in"))
