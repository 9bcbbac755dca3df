"""Django's own messages in our words: the Spanish a person reads here says tú, Django's included.

Django's Spanish catalogs address the reader as usted ("Asegúrese de que...", "Introduzca...",
"Su contraseña..."); ours says tú. locale_django/es/LC_MESSAGES/django.po says again, in tú, each
of Django's messages in usted that this site can show. It stands in LOCALE_PATHS after our catalog
(the one makemessages writes) and, like every catalog there, before every app's and Django's, so it
is read first. It holds only Django's msgids, apart from ours: test_translations.py keeps our
catalog to the strings of our code.

Checked here:
- the catalog: our Spanish header; every entry one of Django's, translated in every plural form,
  not fuzzy, with Django's placeholders, and in tú;
- that it is complete: every message that Django's catalogs (Django's own and each installed
  app's) say in usted is in it, or in NOT_SHOWN with why this site cannot show it;
- the site's forms: no label, help text or error message any of them can show reads, in Spanish,
  as one of Django's messages in usted (so NOT_SHOWN holds nothing a form shows, and the catalog is
  the one read);
- pages in Spanish (the need form, joining, logging in, changing the password) say tú;
- `make` compiles it with Babel, as it compiles ours.
"""

import contextlib
import gettext
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

import django
from babel.messages.pofile import read_po
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import get_resolver, reverse
from django.utils import translation

from mutualaid.accounts.forms import LoginForm, SignUpForm
from mutualaid.accounts.models import Member
from mutualaid.aid.forms import NeedForm
from mutualaid.aid.models import Need
from mutualaid.test import PASSWORD, BaseTestCase
from mutualaid.tests.test_translations import (
    CATALOG,
    PERCENT,
    PO_HEADER,
    REPO,
    make,
    placeholders_differ,
    shown,
    translated,
)

OVERRIDES = Path("locale_django") / "es" / "LC_MESSAGES" / "django.po"

# Words only usted says: its imperatives (Django's catalog even has "Introduza"), its possessive
# and pronoun ("su navegador", "Si le preocupa"), and the "Por favor" it puts before them. A hit
# that is not usted ("sus grupos": the user's) is one more message to look at, in NOT_SHOWN.
USTED = re.compile(
    r"\b(?:usted(?:es)?|su|sus|le|les|por favor|asegúrese|introduzca|introduza|ingrese|escriba|"
    r"seleccione|escoja|elija|compruebe|corrija|revise|verifique|indique|envíe|marque|desmarque|"
    r"habilite|vuelva|inténtelo|intente|utilice|use|elimínelos|observe|deba)\b",
    re.IGNORECASE,
)

# Django's messages in usted that no page of this site can show, and why. The forms' ones are
# also checked against the site's forms below (SiteFormsTestCase): a form that starts showing one
# fails it, and its message then belongs in the catalog.
UNUSED_FIELD = "no form of the site has this field or validator"
FORMSETS = "formsets and model forms: the site has none (its forms are plain forms.Form)"
CSRF_PAGE = "Django's CSRF failure page: the site's own templates/403_csrf.html replaces it"
ADMIN = "the admin's user pages and forms: the admin is not installed"
USER_MODEL = "AbstractUser's (the admin shows it): Member is a model of its own, with a handle"
NOT_SHOWN = {
    "Enter a valid value.": "RegexValidator's own message: the handle's validator says its own",
    "Enter a valid domain name.": UNUSED_FIELD,
    "Enter a valid URL.": (
        "URLField and URLValidator's message: the resource directory checks a link and refuses "
        "it in its own words (aid/resources.py)"
    ),
    "Enter a valid integer.": UNUSED_FIELD + " (IntegerField says “Enter a whole number.”)",
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.": (
        "SlugField: a category's slug is made by the code, never typed"
    ),
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.": (
        "SlugField(allow_unicode=True): " + UNUSED_FIELD
    ),
    "Enter a valid %(protocol)s address.": "GenericIPAddressField: " + UNUSED_FIELD,
    "Enter only digits separated by commas.": UNUSED_FIELD,
    "Ensure this value is %(limit_value)s (it is %(show_value)s).": UNUSED_FIELD,
    "Ensure this value is a multiple of step size %(limit_value)s.": "step_size: " + UNUSED_FIELD,
    (
        "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, "
        "e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    ): "step_size: " + UNUSED_FIELD,
    "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).": (
        "min_length: " + UNUSED_FIELD
    ),
    "Enter a number.": "FloatField, DecimalField: " + UNUSED_FIELD,
    "Ensure that there are no more than %(max)s digit in total.": "DecimalField: " + UNUSED_FIELD,
    "Ensure that there are no more than %(max)s decimal place.": "DecimalField: " + UNUSED_FIELD,
    "Ensure that there are no more than %(max)s digit before the decimal point.": (
        "DecimalField: " + UNUSED_FIELD
    ),
    "Enter a valid time.": "TimeField: " + UNUSED_FIELD,
    "Enter a valid date/time.": "DateTimeField: " + UNUSED_FIELD,
    "Enter a valid duration.": "DurationField: " + UNUSED_FIELD,
    (
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ): "ImageField: " + UNUSED_FIELD,
    "Enter a complete value.": "MultiValueField (SplitDateTimeField): " + UNUSED_FIELD,
    "Select a valid choice. That choice is not one of the available choices.": (
        "ModelChoiceField's own message: each of the site's says in its own words which list to "
        "choose from (lib/forms.py, areas, aid)"
    ),
    (
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "%(field_names)s. You may need to file a bug report if the issue persists."
    ): FORMSETS,
    "Please submit at most %(num)d form.": FORMSETS,
    "Please submit at least %(num)d form.": FORMSETS,
    "Please correct the duplicate data for %(field)s.": FORMSETS,
    "Please correct the duplicate data for %(field)s, which must be unique.": FORMSETS,
    (
        "Please correct the duplicate data for %(field_name)s which must be unique for the "
        "%(lookup)s in %(date_field)s."
    ): FORMSETS,
    "Please correct the duplicate values below.": FORMSETS,
    (
        "You are seeing this message because this HTTPS site requires a “Referer header” to be "
        "sent by your web browser, but none was sent. This header is required for security "
        "reasons, to ensure that your browser is not being hijacked by third parties."
    ): CSRF_PAGE,
    (
        "If you have configured your browser to disable “Referer” headers, please re-enable "
        "them, at least for this site, or for HTTPS connections, or for “same-origin” requests."
    ): CSRF_PAGE,
    (
        'If you are using the <meta name="referrer" content="no-referrer"> tag or including the '
        "“Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires "
        "the “Referer” header to do strict referer checking. If you’re concerned about privacy, "
        'use alternatives like <a rel="noreferrer" …> for links to third-party sites.'
    ): CSRF_PAGE,
    (
        "If you have configured your browser to disable cookies, please re-enable them, at least "
        "for this site, or for “same-origin” requests."
    ): CSRF_PAGE,
    (
        'You are seeing this page because <a href="https://docs.djangoproject.com/en/%(version)s/'
        'ref/settings/#debug" target="_blank" rel="noopener">DEBUG=True</a> is in your settings '
        "file and you have not configured any URLs."
    ): "Django's welcome page: only with DEBUG on and no URLs at all",
    "Conflicting form data submitted. Please try again.": ADMIN + " (and it says tú already)",
    "Enable password-based authentication for this user by setting a password.": ADMIN,
    (
        "The groups this user belongs to. A user will get all permissions granted to each of "
        "their groups."
    ): "PermissionsMixin's help text, for the admin (and its “sus” are the user's)",
    (
        "Designates whether this user should be treated as active. Unselect this instead of "
        "deleting accounts."
    ): USER_MODEL,
    (
        "Enter a valid username. This value may contain only unaccented lowercase a-z and "
        "uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    ): USER_MODEL,
    (
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ "
        "characters."
    ): USER_MODEL,
    "Enter new password": (
        "PasswordResetConfirmView's title: the site's password reset pages are its own"
    ),
}


def read(path: Path):
    """A catalog, read as Babel reads it (its warnings about Django's auth catalog, which has
    three plural forms under a header that says two, are not ours to fix)."""
    with path.open("rb") as file, contextlib.redirect_stdout(io.StringIO()):
        return read_po(file)


def key(message) -> tuple[str, str | None]:
    return (message.id if isinstance(message.id, str) else message.id[0], message.context)


def forms_of(message) -> list[str]:
    """A message's translation, in each of its plural forms."""
    texts = [message.string] if isinstance(message.string, str) else list(message.string)
    return [text for text in texts if text]


def django_catalogs() -> list[Path]:
    """The Spanish catalogs Django reads besides ours: its own, and every installed app's."""
    own = Path(django.__file__).parent / "conf" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    installed = [
        Path(app.path) / "locale" / "es" / "LC_MESSAGES" / "django.po"
        for app in apps.get_app_configs()
    ]
    return [path for path in [own, *installed] if path.exists()]


def django_messages() -> dict[tuple[str, str | None], list]:
    """Every message of those catalogs, by (msgid, context): one per catalog that has it."""
    found = {}
    for path in django_catalogs():
        for message in read(path):
            if message.id:
                found.setdefault(key(message), []).append(message)
    return found


def formats_differ(django_s, ours) -> bool:
    return ("python-format" in django_s.flags) != ("python-format" in ours.flags)


def says_usted(message) -> bool:
    return any(USTED.search(text) for text in forms_of(message))


NOT_DJANGOS = "not one of Django's messages (any more): remove them"
UNTRANSLATED = "untranslated (in some plural form, at least)"
FUZZY = "marked fuzzy (check the translation, then remove the flag)"
MISMATCHED = "translated with other placeholders (or format flags) than Django's msgid"
IN_USTED = "translated in usted: say it in tú"


class DjangoMessagesCatalogTestCase(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.catalog = read(REPO / OVERRIDES)
        cls.django = django_messages()

    def test_it_has_our_spanish_header_which_babel_compiles(self):
        ours = read(REPO / CATALOG)
        self.assertEqual(self.catalog.locale_identifier, "es")
        self.assertEqual(
            (self.catalog.num_plurals, self.catalog.plural_expr),
            (ours.num_plurals, ours.plural_expr),
        )
        self.assertFalse(self.catalog.fuzzy, "A fuzzy header: `make` would not compile it.")

    def test_every_entry_is_djangos_translated_in_tu_with_its_placeholders(self):
        problems = {NOT_DJANGOS: [], FUZZY: [], UNTRANSLATED: [], MISMATCHED: [], IN_USTED: []}
        for message in self.catalog:
            if not message.id:
                continue  # the header
            theirs = self.django.get(key(message), [])
            django_s = next((one for one in theirs if one.id == message.id), None)
            if django_s is None:
                problems[NOT_DJANGOS].append(message)
            elif message.fuzzy:
                problems[FUZZY].append(message)
            elif not translated(message, self.catalog):
                problems[UNTRANSLATED].append(message)
            elif placeholders_differ(django_s, message) or formats_differ(django_s, message):
                problems[MISMATCHED].append(message)
            elif says_usted(message):
                problems[IN_USTED].append(message)
        problems[NOT_DJANGOS].extend(self.catalog.obsolete.values())  # "#~" entries
        report = [
            f"{len(messages)} {what}:\n" + "\n".join(shown(message) for message in messages)
            for what, messages in problems.items()
            if messages
        ]
        if report:
            self.fail(f"{OVERRIDES} is not right.\n" + "\n".join(report))

    def test_each_message_django_says_in_usted_is_here_or_one_the_site_cannot_show(self):
        usted = {found for found, messages in self.django.items() if any(map(says_usted, messages))}
        here = {key(message) for message in self.catalog if message.id}
        not_shown = {(msgid, None) for msgid in NOT_SHOWN}
        report = []
        for what, keys in (
            (
                f"said in usted by Django, neither in {OVERRIDES} nor in NOT_SHOWN (if this site "
                "can show it, translate it there; if not, say why in NOT_SHOWN)",
                usted - here - not_shown,
            ),
            ("in NOT_SHOWN but no longer said in usted by Django: remove them", not_shown - usted),
            (f"both in {OVERRIDES} and in NOT_SHOWN", here & not_shown),
        ):
            if keys:
                report.append(
                    f"{len(keys)} {what}:\n" + "\n".join(sorted(f"  {k[0]!r}" for k in keys))
                )
        if report:
            self.fail("\n".join(report))


class Every(dict):
    """Values for a message's placeholders: ``n`` for every name (the count of a plural too)."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    def __missing__(self, name):
        return self.n


COUNTS = (1, 2, 1_000_000)  # one of each Spanish plural form


def filled(text, n: int) -> str:
    try:
        return str(text % Every(n))
    except (TypeError, ValueError):  # a text with a "%" of its own
        return str(text)


def pattern(text: str) -> re.Pattern:
    """A translation as a pattern, its placeholders standing for anything."""
    return re.compile(".+?".join(map(re.escape, PERCENT.split(text))))


def site_forms() -> set[type]:
    """Every form class the pages and the API of the site use: those its modules define or import
    (Django's own log-in and password forms among them), with their bases."""
    get_resolver().url_patterns  # noqa: B018 (imports every view, and so every form they use)
    found = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("mutualaid.") or ".tests" in name:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                found.update(base for base in value.__mro__ if issubclass(base, forms.BaseForm))
    return found


def texts_of(form) -> list:
    """What a form can show of its own: its messages, and each declared field's label, help text,
    error messages and validators' messages."""
    texts = list((getattr(form, "error_messages", None) or {}).values())
    for field in getattr(form, "base_fields", {}).values():
        for each in (field, *getattr(field, "fields", ())):
            texts += [each.label, each.help_text, *each.error_messages.values()]
            texts += [getattr(validator, "message", None) for validator in each.validators]
    return [text for text in texts if text]


class SiteFormsTestCase(SimpleTestCase):
    """Fields added as a form is made (a choice per column of a spreadsheet) are not seen here:
    they are of classes the declared fields have already."""

    def test_no_text_a_form_of_the_site_can_show_is_djangos_in_usted(self):
        site = site_forms()
        self.assertLessEqual(
            {SignUpForm, LoginForm, PasswordChangeForm, SetPasswordForm, NeedForm}, site
        )
        usted = {
            shown(message): [pattern(text) for text in forms_of(message)]
            for messages in django_messages().values()
            for message in messages
            if says_usted(message)
        }
        spoken = set()
        with translation.override("es"):
            for n in COUNTS:
                spoken |= {filled(text, n) for form in site for text in texts_of(form)}
            spoken |= set(password_validation.password_validators_help_texts())
        found = {
            message
            for message, patterns in usted.items()
            if any(each.search(text) for each in patterns for text in spoken)
        }
        if found:
            self.fail(
                f"The site's forms show {len(found)} of Django's messages in usted: translate "
                f"each in {OVERRIDES} (and take it out of NOT_SHOWN).\n" + "\n".join(sorted(found))
            )


class LocalePathsTestCase(SimpleTestCase):
    def test_ours_first_then_djangos_messages_in_our_words(self):
        self.assertEqual(
            [Path(path) for path in settings.LOCALE_PATHS],
            [REPO / "locale", REPO / "locale_django"],
        )

    def test_an_error_rendered_in_spanish_is_ours_not_djangos(self):
        msgid = "Ensure this value has at most %(limit_value)d character (it has %(show_value)d)."
        ours = read(REPO / OVERRIDES).get(msgid)
        django_s = django_messages()[(msgid, None)][0]
        values = {"limit_value": 3, "show_value": 6}
        with translation.override("es"):
            with self.assertRaises(ValidationError) as refused:
                forms.CharField(max_length=3).clean("abcdef")
            said = refused.exception.messages
        self.assertEqual(said, ["Usa como máximo 3 caracteres (ahora hay 6)."])
        self.assertEqual(said, [ours.string[2] % values])
        self.assertNotEqual(said, [django_s.string[2] % values])

    def test_our_own_catalog_is_read_still(self):
        entry = next(
            message
            for message in read(REPO / CATALOG)
            if isinstance(message.id, str) and message.id and message.string
            if not message.context and not message.fuzzy
        )
        with translation.override("es"):
            self.assertEqual(translation.gettext(entry.id), entry.string)


def assert_tu(test, response, status_code):
    """None of the usted of Django's catalog that the pages below would otherwise show."""
    for usted in ("Asegúrese", "Introduzca", "Escoja", "Su contraseña", "vuelva a introducirla"):
        test.assertNotContains(response, usted, status_code=status_code)


class DjangoMessagesOnSpanishPagesTestCase(BaseTestCase):
    def in_spanish(self, member=None):
        if member is None:
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        else:
            Member.objects.filter(pk=member.pk).update(language="es")
            self.client.force_login(member)

    def test_the_need_form_refuses_in_tu(self):
        url = reverse("aid:need_new")
        data = {
            "category": "groceries",
            "summary": "Leche y pan para dos",
            "details": "",
            "area": str(self.north.code),
            "urgency": "soon",
            "needed_by": "",
        }
        self.assertRedirects(self.client.post(url, data), f"{reverse('accounts:login')}?next={url}")
        self.in_spanish(self.requester)
        cases = {
            "too long": ({"summary": "s" * 141}, "Usa como máximo 140 caracteres (ahora hay 141)."),
            "not a date": ({"needed_by": "el martes"}, "Escribe una fecha válida."),
            "not a choice": (
                {"urgency": "ayer"},
                "Elige una opción válida. ayer no es una de las opciones disponibles.",
            ),
            "empty": ({"summary": ""}, "Este campo es obligatorio."),
        }
        for case, (changes, said) in cases.items():
            with self.subTest(case):
                response = self.client.post(url, {**data, **changes})
                self.assertContains(response, said, status_code=422)
                assert_tu(self, response, 422)
        self.assertEqual(Need.objects.count(), 0)

    def test_joining_with_a_bad_email_is_refused_in_tu(self):
        self.in_spanish()
        data = {"handle": "nueva", "password": "a long and quiet evening", "email": "nueva@"}
        response = self.client.post(reverse("accounts:signup"), data)
        self.assertContains(
            response, "Escribe una dirección de correo electrónico válida.", status_code=422
        )
        assert_tu(self, response, 422)
        self.assertFalse(Member.objects.filter(handle="nueva").exists())

    def test_a_failed_log_in_is_answered_in_tu(self):
        self.in_spanish()
        response = self.client.post(
            reverse("accounts:login"), {"username": "rosa", "password": "not the password"}
        )
        self.assertContains(
            response,
            "Escribe un alias y una contraseña correctos. Ten en cuenta que ambos campos pueden "
            "distinguir entre mayúsculas y minúsculas.",
            status_code=422,
        )
        assert_tu(self, response, 422)

    def test_changing_the_password_helps_and_refuses_in_tu(self):
        url = reverse("accounts:password_change")
        self.assertRedirects(self.client.get(url), f"{reverse('accounts:login')}?next={url}")
        self.in_spanish(self.requester)
        page = self.client.get(url)
        for said in (
            "Tu contraseña debe tener al menos 10 caracteres.",
            "Tu contraseña no puede parecerse demasiado a tus otros datos personales.",
            "Tu contraseña no puede ser una contraseña de uso común.",
            "Tu contraseña no puede tener solo números.",
            "Escribe la misma contraseña otra vez, para verificarla.",
        ):
            self.assertContains(page, said)
        assert_tu(self, page, 200)
        new = "a new and quiet evening"
        data = {"old_password": "not mine", "new_password1": new, "new_password2": new}
        response = self.client.post(url, data)
        self.assertContains(
            response, "Tu contraseña anterior no es correcta. Escríbela de nuevo.", status_code=422
        )
        assert_tu(self, response, 422)
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(PASSWORD))


class OverridesBuildTestCase(SimpleTestCase):
    """`make` (the demo and the tests) compiles this catalog too, with Babel (in a scratch folder
    with the project's Makefile)."""

    def test_make_lists_and_compiles_it(self):
        if shutil.which("make") is None:
            self.skipTest("make is not installed")
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            shutil.copy2(REPO / "Makefile", folder / "Makefile")
            for path, msgstr in ((CATALOG, "Necesidades abiertas"), (OVERRIDES, "Escribe")):
                (folder / path).parent.mkdir(parents=True)
                (folder / path).write_text(f'{PO_HEADER}\nmsgid "Enter"\nmsgstr "{msgstr}"\n')
            listed = make(folder, "--eval", "catalogs: ; @echo $(CATALOGS)", "catalogs")
            self.assertEqual(
                sorted(listed.stdout.split()),
                sorted(str(path.with_suffix(".mo")) for path in (CATALOG, OVERRIDES)),
                listed.stderr,
            )
            made = make(folder, str(OVERRIDES.with_suffix(".mo")))
            self.assertEqual(made.returncode, 0, made.stderr)
            self.assertIn("pybabel", made.stdout)
            with (folder / OVERRIDES.with_suffix(".mo")).open("rb") as mo:
                self.assertEqual(gettext.GNUTranslations(mo).gettext("Enter"), "Escribe")
