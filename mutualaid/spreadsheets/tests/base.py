"""What the spreadsheet tests share: CSV text from rows, a run of the importer, and every row of
every table as text (to prove something is stored nowhere)."""

import csv
import io

from django.db import connection

from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role

from ..importing import run_import
from ..kinds import KINDS
from ..reading import read_table
from ..services import lookup_places

# A Google Form's export of a request form: its question titles are the column names.
FORM_HEADERS = [
    "Timestamp",
    "Your name",
    "Phone number",
    "Street address",
    "What do you need?",
    "Kind of help",
    "How urgent is this?",
    "Anything else we should know?",
]
LOOKUP = "street,postcode,area\nMaple Street,,Northside\nElm Road,,Central\n,94110,Southside\n"


def csv_text(rows, *, delimiter=",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def form_row(n, *, summary=None, phone=None, address=None, kind="Groceries", urgency="Urgent"):
    return [
        f"5/{1 + n % 28}/2024 10:{n % 60:02d}:00",
        f"Neighbor Number{n}",
        phone or f"(415) 555-{2000 + n:04d}",
        address or f"{10 + n} Maple St, Apt {n}",
        summary or f"Groceries for the week ({n})",
        kind,
        urgency,
        f"Ring twice at the side door ({n}).",
    ]


def database_text() -> str:
    """Every row of every table, as one text."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.append(repr(cursor.fetchall()))
    return "\n".join(parts)


class ImportTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dispatcher = make_member("dina", roles=[Role.DISPATCHER])
        cls.admin = make_member("adam", roles=[Role.ADMIN])

    def run_import(self, kind, text, *, by=None, lookup="", mapping=None, **options):
        table = read_table(text)
        chosen = KINDS[kind]
        options.setdefault("consent", True)
        return run_import(
            kind=chosen,
            table=table,
            mapping=mapping if mapping is not None else chosen.guess(table.headers),
            by=by or self.dispatcher,
            places=lookup_places(lookup),
            **options,
        )

    def needs_file(self, count=3, **row):
        return csv_text([FORM_HEADERS] + [form_row(n, **row) for n in range(count)])
