"""Reading a CSV as Google Sheets, Google Forms, Airtable and Excel write it.

UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), UTF-16 (Excel's "Unicode text"),
or Windows-1252 (Excel's plain "CSV"); commas, semicolons (Excel in many European languages) or
tabs; quoted cells holding commas, quotes and line breaks; blank lines and rows shorter or longer
than the header. Each row keeps the line of the file it starts on, as the spreadsheet numbers
it (the header is line 1), so that a rejected row can be found and fixed.

A file that is not a CSV (a workbook, a PDF, a web page), larger than ``MAX_BYTES`` or longer
than ``MAX_ROWS`` is refused whole, with a message saying what to do instead.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mutualaid.lib.refusal import Refusal

MAX_BYTES = 20 * 1024 * 1024  # 50,000 rows of a generous form are about 10 MB
MAX_ROWS = 100_000
MAX_COLUMNS = 200
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (the line the row starts on, its cells): blank rows left out.
    rows: list[tuple[int, list[str]]]


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


def refuse_oversize(size: int, limit: int = MAX_BYTES) -> None:
    if size > limit:
        raise Refusal(
            _("The file is larger than %(max)d MB: split it in parts and import each.")
            % {"max": _megabytes(limit)},
            code="too_large",
        )


_WORKBOOK = _(
    "This is a spreadsheet file, not a CSV. In Google Sheets choose File › Download › "
    "Comma-separated values; in Airtable, Download CSV; in Excel, Save As › CSV UTF-8."
)
_NOT_TEXT = _("This is not a CSV file: save the spreadsheet as CSV (UTF-8) and upload that.")


def decode(data: bytes, *, limit: int = MAX_BYTES) -> str:
    """The file's text, or a refusal saying why it is no CSV."""
    refuse_oversize(len(data), limit)
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # xlsx/ods (zip), old xls
        raise Refusal(_WORKBOOK, code="not_csv")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise Refusal(_NOT_TEXT, code="not_csv") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise Refusal(_NOT_TEXT, code="not_csv") from None
    head = text[:512].lstrip().lower()
    if "\x00" in text or head.startswith(("%pdf", "<!doctype", "<html", "<?xml", "{", "[")):
        raise Refusal(_NOT_TEXT, code="not_csv")
    return text


def _delimiter(first_line: str) -> str:
    """The separator the header line uses most (a comma if it has none)."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_table(text: str, *, limit_rows: int | None = None) -> Table:
    """The header and the rows of ``text`` (all of them, or the first ``limit_rows``)."""
    text = text.lstrip("\ufeff")
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    if not first:
        raise Refusal(_("The file is empty."), code="empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells
            if headers is None:
                if len(cells) > MAX_COLUMNS:
                    raise Refusal(
                        _("The file has more than %(max)d columns.") % {"max": MAX_COLUMNS},
                        code="too_large",
                    )
                headers = [cell.strip() for cell in cells]
                continue
            rows.append((line, _fitted(cells, len(headers))))
            if limit_rows is not None and len(rows) >= limit_rows:
                break
            if len(rows) > MAX_ROWS:
                raise Refusal(
                    _("The file has more than %(max)d rows: split it in parts and import each.")
                    % {"max": MAX_ROWS},
                    code="too_large",
                )
    except csv.Error:
        raise Refusal(
            _("Line %(line)d cannot be read as CSV (a quote left open, or a cell too long).")
            % {"line": start},
            code="not_csv",
        ) from None
    if not rows:
        raise Refusal(_("The file has column names but no rows."), code="empty")
    return Table(headers=headers or [], rows=rows)


def _fitted(cells: list[str], width: int) -> list[str]:
    """A row as wide as the header: missing cells empty, cells beyond the last column dropped."""
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    return cells[:width]
