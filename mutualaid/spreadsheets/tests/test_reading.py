"""Reading CSV files as spreadsheets write them, and refusing what is not one."""

from django.test import SimpleTestCase

from mutualaid.lib.refusal import Refusal

from ..reading import MAX_BYTES, decode, read_table


class ReadingTestCase(SimpleTestCase):
    def test_excel_utf8_with_a_bom_quotes_and_line_breaks(self):
        data = (
            '\ufeffName,"What do you need?",Notes\r\n'
            'Ana,"Groceries, and milk","Line one\r\nline two ""quoted"""\r\n'
            "\r\n"
            "Ben,Rides,\r\n"
        ).encode()
        table = read_table(decode(data))
        self.assertEqual(table.headers, ["Name", "What do you need?", "Notes"])
        self.assertEqual(
            table.rows,
            [
                (2, ["Ana", "Groceries, and milk", 'Line one\r\nline two "quoted"']),
                (5, ["Ben", "Rides", ""]),  # line 4 is blank; Ana's row took lines 2 and 3
            ],
        )

    def test_semicolons_tabs_short_and_long_rows(self):
        table = read_table("a;b;c\n1;2\n1;2;3;4\n;;\n")
        self.assertEqual(table.rows, [(2, ["1", "2", ""]), (3, ["1", "2", "3"])])
        self.assertEqual(read_table("a\tb\n1\t2\n").rows, [(2, ["1", "2"])])

    def test_other_encodings(self):
        self.assertEqual(
            read_table(decode("a,b\nJosé,ñ\n".encode("utf-16"))).rows[0][1], ["José", "ñ"]
        )
        self.assertEqual(
            read_table(decode("a,b\nJosé,€\n".encode("cp1252"))).rows[0][1], ["José", "€"]
        )

    def test_what_is_not_a_csv_is_refused(self):
        cases = [
            (b"PK\x03\x04rest of a workbook", "spreadsheet file"),
            (b"\xd0\xcf\x11\xe0old excel", "spreadsheet file"),
            (b"%PDF-1.7 ...", "not a CSV"),
            (b"<!DOCTYPE html><html>", "not a CSV"),
            (b"a,b\n\x00\x01\x02", "not a CSV"),
            (b"\x81\x8d\x8f\x90\x9d", "not a CSV"),
            (b"   \n\n", "empty"),
            (b"a,b,c\n", "no rows"),
            (b"a,b\n" + b"x" * MAX_BYTES, "larger than 20 MB"),
        ]
        for data, message in cases:
            with self.subTest(message), self.assertRaises(Refusal) as refusal:
                read_table(decode(data))
            self.assertIn(message, str(refusal.exception))

    def test_a_broken_file_names_its_line(self):
        with self.assertRaises(Refusal) as refusal:
            read_table('a,b\n1,2\n3,"' + "x" * 200_000 + "\n")
        self.assertIn("Line 3", str(refusal.exception))

    def test_a_preview_reads_the_first_rows_only(self):
        text = "a,b\n" + "".join(f"{n},x\n" for n in range(1000))
        self.assertEqual(len(read_table(text, limit_rows=3).rows), 3)
