"""The translations' plumbing: the Spanish catalog is complete, and `make` compiles it.

Complete means: every string the code marks for translation, extracted afresh as `make messages`
extracts it, is in locale/es/LC_MESSAGES/django.po, translated in every plural form, not fuzzy,
with the placeholders of its msgid; and the catalog keeps no string the code no longer has.
The extraction runs in a temporary copy of the source (makemessages writes a file beside each
template while it reads it, and the catalog it writes is not the one under test), with the
Makefile's own `messages` target, so that the test and the target cannot drift apart.

Compiled means: `make` builds each .mo from its .po with Babel (pure Python, no GNU gettext), and
builds it again when the .po changes; a catalog whose header is fuzzy (which Babel would skip,
silently) stops the build.
"""

import gettext
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.test import SimpleTestCase

REPO = Path(settings.BASE_DIR)
CATALOG = Path("locale") / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")
BIN = Path(sys.executable).parent
# Make's own settings, as `make test` hands them down (its jobserver among them): not for a
# make of our own.
MAKE_VARIABLES = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")

PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def make(directory: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Run this Makefile's ``arguments`` in ``directory`` with this virtualenv, which it does not
    try to install again (-o)."""
    env = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
    env.pop("PYTHONPATH", None)  # the copy's own modules, not the tree's
    return subprocess.run(  # noqa: S603 (our own Makefile, fixed arguments)
        [
            shutil.which("make") or "make",
            "--no-print-directory",
            "-C",
            str(directory),
            f"BIN={BIN}",
            f"VENV={BIN.parent}",
            "-o",
            f"{BIN.parent}/.installed",
            *arguments,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def placeholders(text: str, flags) -> list[str]:
    """The %-placeholders of a python-format string and the {}-ones of a python-brace-format
    one, sorted (a translation may put them in another order)."""
    found = []
    if "python-format" in flags:
        found += sorted(match for match in PERCENT.findall(text) if match != "%%")
    if "python-brace-format" in flags:
        found += sorted(f"{{{name}}}" for name in BRACE.findall(text) if name)
    return found


def placeholders_differ(fresh, kept) -> bool:
    if isinstance(fresh.id, str):
        return placeholders(fresh.id, fresh.flags) != placeholders(kept.string, fresh.flags)
    # The first form is for one alone ("una necesidad" may leave the count out); the others are
    # for many, and say how many as the English plural does.
    singular, plural = (placeholders(text, fresh.flags) for text in fresh.id)
    forms = [placeholders(text, fresh.flags) for text in kept.string]
    return not set(forms[0]) <= {*singular, *plural} or any(form != plural for form in forms[1:])


def shown(message) -> str:
    """A msgid on one line, as the catalog writes it, cut if long."""
    text = message.id if isinstance(message.id, str) else message.id[0]
    text = text.replace("\n", "\\n")
    text = f"{text[:117]}…" if len(text) > 120 else text
    context = f" (context {message.context!r})" if message.context else ""
    return f'  "{text}"{context}'


MISSING = "not in the catalog (run `make messages`, then translate them)"
UNTRANSLATED = "untranslated (in some plural form, at least)"
FUZZY = "marked fuzzy (check the translation, then remove the flag)"
MISMATCHED = "translated with other placeholders than the English"
OBSOLETE = "obsolete: the code no longer has them (run `make messages`)"


def translated(kept, catalog) -> bool:
    """A msgstr, or every plural form of one."""
    if isinstance(kept.id, str):
        return bool(kept.string)
    return len(kept.string) == catalog.num_plurals and all(kept.string)


def catalog_problems(fresh, catalog) -> dict[str, list]:
    """What keeps ``catalog`` from translating every string of ``fresh`` (an extraction)."""
    problems = {MISSING: [], UNTRANSLATED: [], FUZZY: [], MISMATCHED: [], OBSOLETE: []}
    for message in fresh:
        if not message.id:
            continue  # the header
        kept = catalog.get(message.id, context=message.context)
        if kept is None:
            problems[MISSING].append(message)
        elif kept.fuzzy:
            problems[FUZZY].append(message)
        elif not translated(kept, catalog):
            problems[UNTRANSLATED].append(message)
        elif placeholders_differ(message, kept):
            problems[MISMATCHED].append(message)
    for kept in catalog:
        if kept.id and fresh.get(kept.id, context=kept.context) is None:
            problems[OBSOLETE].append(kept)
    problems[OBSOLETE].extend(catalog.obsolete.values())  # the "#~" entries
    return problems


class SpanishCatalogTestCase(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if shutil.which("make") is None or shutil.which("xgettext") is None:
            raise unittest.SkipTest(
                "Extracting the strings to translate needs make and GNU gettext's xgettext "
                "(Debian: apt-get install gettext)."
            )
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder)
            shutil.copytree(
                REPO / "mutualaid",
                copy / "mutualaid",
                ignore=shutil.ignore_patterns("tests", "__pycache__"),
            )
            for name in ("manage.py", "Makefile"):
                shutil.copy2(REPO / name, copy / name)
            (copy / "locale").mkdir()
            made = make(copy, "messages")
            if made.returncode != 0 or not (copy / CATALOG).exists():
                raise cls.failureException(
                    f"`make messages` failed in a copy of the source:\n{made.stdout}{made.stderr}"
                )
            with (copy / CATALOG).open("rb") as extracted:
                cls.fresh = read_po(extracted)
        with (REPO / CATALOG).open("rb") as committed:
            cls.catalog = read_po(committed)

    def test_the_catalog_has_a_spanish_header_babel_compiles(self):
        self.assertEqual(self.catalog.locale_identifier, "es")
        self.assertEqual(self.catalog.num_plurals, 3)
        self.assertFalse(self.catalog.fuzzy, "A fuzzy header: `make` would not compile it.")

    def test_every_string_is_translated_with_its_placeholders_and_none_is_obsolete(self):
        report = [
            f"{len(messages)} {what}:\n" + "\n".join(shown(message) for message in messages)
            for what, messages in catalog_problems(self.fresh, self.catalog).items()
            if messages
        ]
        if report:
            self.fail(f"The Spanish catalog, {CATALOG}, is not complete.\n" + "\n".join(report))


def po(entries: str, *, header="") -> object:
    """A catalog read from ``entries`` (PO text) under a Spanish header."""
    return read_po(io.BytesIO((header + PO_HEADER + "\n" + entries).encode()))


EXTRACTED = r"""
#, python-format
msgid "Hello %(handle)s"
msgstr ""

#, python-format
msgid "%(count)s need"
msgid_plural "%(count)s needs"
msgstr[0] ""
msgstr[1] ""

#, python-brace-format
msgid "On {day}"
msgstr ""

msgid "Save"
msgstr ""
"""


class CatalogCheckTestCase(SimpleTestCase):
    """The check above, on small catalogs: it finds each kind of problem, and nothing else."""

    def test_a_complete_catalog_has_no_problems(self):
        catalog = po(r"""
#, python-format
msgid "Hello %(handle)s"
msgstr "Hola, %(handle)s"

#, python-format
msgid "%(count)s need"
msgid_plural "%(count)s needs"
msgstr[0] "una necesidad"
msgstr[1] "%(count)s necesidades"
msgstr[2] "%(count)s necesidades"

#, python-brace-format
msgid "On {day}"
msgstr "El {day}"

msgid "Save"
msgstr "Guardar"
""")
        self.assertEqual(
            catalog_problems(po(EXTRACTED), catalog),
            dict.fromkeys([MISSING, UNTRANSLATED, FUZZY, MISMATCHED, OBSOLETE], []),
        )

    def test_it_names_each_problem(self):
        catalog = po(r"""
#, python-format
msgid "Hello %(handle)s"
msgstr "Hola, %(name)s"

#, python-format
msgid "%(count)s need"
msgid_plural "%(count)s needs"
msgstr[0] "una necesidad"
msgstr[1] "%(count)s necesidades"
msgstr[2] ""

#, fuzzy, python-brace-format
msgid "On {day}"
msgstr "El {day}"

msgid "Gone"
msgstr "Ido"

#~ msgid "Long gone"
#~ msgstr "Hace mucho"
""")
        problems = catalog_problems(po(EXTRACTED), catalog)
        found = {what: [shown(message) for message in problems[what]] for what in problems}
        self.assertEqual(
            found,
            {
                MISSING: ['  "Save"'],
                UNTRANSLATED: ['  "%(count)s need"'],
                FUZZY: ['  "On {day}"'],
                MISMATCHED: ['  "Hello %(handle)s"'],
                OBSOLETE: ['  "Gone"', '  "Long gone"'],
            },
        )


PO_HEADER = r"""msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\n"
"""


def write_catalog(folder: Path, translation: str, *, fuzzy_header=False) -> None:
    path = folder / CATALOG
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("#, fuzzy\n" if fuzzy_header else "") + PO_HEADER
    path.write_text(f'{header}\nmsgid "Open needs"\nmsgstr "{translation}"\n', encoding="utf-8")


class CompiledCatalogTestCase(SimpleTestCase):
    """`make` compiles the catalogs with Babel, again when a .po changes (in a scratch folder
    with the project's Makefile)."""

    def setUp(self):
        if shutil.which("make") is None:
            self.skipTest("make is not installed")
        scratch = tempfile.TemporaryDirectory()
        self.addCleanup(scratch.cleanup)
        self.folder = Path(scratch.name)
        shutil.copy2(REPO / "Makefile", self.folder / "Makefile")

    def compiled(self) -> str:
        with (self.folder / COMPILED).open("rb") as mo:
            return gettext.GNUTranslations(mo).gettext("Open needs")

    def test_it_compiles_the_catalog_and_again_when_the_po_changes(self):
        write_catalog(self.folder, "Necesidades abiertas")
        made = make(self.folder, str(COMPILED))
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertEqual(self.compiled(), "Necesidades abiertas")
        self.assertEqual(make(self.folder, "--question", str(COMPILED)).returncode, 0)

        write_catalog(self.folder, "Pedidos abiertos")
        later = (self.folder / COMPILED).stat().st_mtime + 5
        os.utime(self.folder / CATALOG, (later, later))
        self.assertEqual(make(self.folder, "--question", str(COMPILED)).returncode, 1)
        self.assertEqual(make(self.folder, str(COMPILED)).returncode, 0)
        self.assertEqual(self.compiled(), "Pedidos abiertos")

    def test_a_fuzzy_header_stops_the_build(self):
        write_catalog(self.folder, "Necesidades abiertas", fuzzy_header=True)
        made = make(self.folder, str(COMPILED))
        self.assertNotEqual(made.returncode, 0)
        self.assertIn("its header is marked fuzzy", made.stderr)
        self.assertFalse((self.folder / COMPILED).exists())

    def test_the_tests_and_the_demo_build_the_compiled_catalogs_which_git_ignores(self):
        rules = (REPO / "Makefile").read_text()
        for target in ("demo", "test", "test-postgres"):
            with self.subTest(target):
                self.assertRegex(rules, rf"(?m)^{target}:.*\$\(CATALOGS\)")
        self.assertIn("*.mo", (REPO / ".gitignore").read_text().split())
