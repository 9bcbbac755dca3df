"""Running an import: every row of a file through its kind's services, each row whole or not at
all, and a report of what landed, what was there already and what was rejected, and why.

Rows go in batches of ``BATCH``, each batch one transaction. A kind that writes its rows
together (needs: ``Kind.together``) checks each row in its turn through the services' batch
doors, which meet the same rules as a form, and writes nothing until the batch's rows are all
checked: a row that fails is rejected alone, and the rows that pass are written together, in a
few INSERTs per table. Other kinds have each row in a savepoint inside the batch: a row that
fails half-way through its writes (a caller made, then its need refused) leaves nothing, and the
rows before it in the batch stand. Either way, a write the database refuses (another import, or
a member, took the same row or pseudonym a moment ago) rolls the batch back whole, and it is
done again row by row, each row in its savepoint. Between batches the database is free for
everyone else's writes, and the progress is told.

A row's fingerprint (kinds.fingerprint) is kept with what it made (``ImportedRow``, unique per
kind), so importing the same file again skips every row it imported; two imports of one file at
the same moment meet that constraint, and the later row counts as skipped.

A dry run is the same run, every batch rolled back: the services say yes or no as they would,
and nothing is written (it keeps the fingerprints it saw, so that a row repeated in the file is
counted as a duplicate there too).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mutualaid.lib import versions
from mutualaid.lib.refusal import Refusal

from .kinds import Context, Kind, Rejected, fingerprint
from .models import ImportedRow, ImportRecord
from .places import Places
from .reading import Table

BATCH = 200


@dataclass
class Report:
    kind: str
    dry_run: bool
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    # (the line of the file, why), in the file's order.
    rejected: list[tuple[int, str]] = field(default_factory=list)
    # Why the whole file was refused (nothing imported), if it was.
    error: str = ""

    @property
    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "skipped": self.skipped,
            "rejected": len(self.rejected),
        }

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "dry_run": self.dry_run,
                **self.counts,
                "lines": self.rejected,
                "error": self.error,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "Report":
        data = json.loads(text)
        return cls(
            kind=data["kind"],
            dry_run=data["dry_run"],
            rows=data["rows"],
            imported=data["imported"],
            skipped=data["skipped"],
            rejected=[(line, reason) for line, reason in data["lines"]],
            error=data.get("error", ""),
        )


def refuse_unless_may_import(kind: Kind, by) -> None:
    if not kind.may_import(by):
        raise Refusal(
            _("Your role does not import %(kind)s.") % {"kind": str(kind.label).lower()},
            code="forbidden",
        )


def refuse_missing_columns(kind: Kind, mapping: list[str]) -> None:
    missing = kind.missing(mapping)
    if missing:
        raise Refusal(
            _("No column of the file is matched to: %(fields)s.")
            % {"fields": ", ".join(str(column.label) for column in missing)},
            code="mapping",
        )


def refuse_without_consent(kind: Kind, mapping: list[str], consent: bool) -> None:
    if kind.needs_consent and not consent and "consent" not in mapping:
        raise Refusal(
            _(
                "Confirm that the people in this file agreed that the network records them and "
                "contacts them."
            ),
            code="consent",
        )


def _reason(kind: Kind, error: Exception) -> str:
    """Why a row was not imported, naming its column, never repeating its private text: the
    doxxing guard's own message quotes what it found, so its finding is told by kind alone."""
    if isinstance(error, Rejected):
        return error.reason
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    name = error.extra.get("field") or kind.refusal_columns.get(error.code)
    label = kind.column(name).label if name in {c.name for c in kind.columns} else ""
    if error.code == "personal_details":
        message = _(
            "It looks like it holds a phone number, an email or a street address, and the "
            "public would see it. Move it to the private details."
        )
    else:
        message = str(error.message)
    return f"{label}: {message}" if label else message


def run_import(
    *,
    kind: Kind,
    table: Table,
    mapping: list[str],
    by,
    places: Places | None = None,
    consent: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Import ``table``'s rows as ``kind`` (``mapping``: a field name or "" per column), by
    ``by``, and return the report. Refuses the whole file (changing nothing) when ``by`` may not
    import this kind, a required column is not matched, or consent is not given."""
    refuse_unless_may_import(kind, by)
    refuse_missing_columns(kind, mapping)
    refuse_without_consent(kind, mapping, consent)
    context = Context.load(by=by, places=places, consent=consent, mapped=set(mapping) - {""})
    report = Report(kind=kind.name, dry_run=dry_run, rows=len(table.rows))
    seen: set[str] = set()
    done = 0
    for start in range(0, len(table.rows), BATCH):
        batch = []
        for line, cells in table.rows[start : start + BATCH]:
            values = kind.values(cells, mapping)
            batch.append((line, values, fingerprint(kind.name, values)))
        try:
            outcomes = _run_batch(kind, batch, context, seen, dry_run=dry_run, careful=False)
        except IntegrityError:
            # Another import wrote the same rows or callers meanwhile: the batch is rolled back
            # whole, and done again row by row, each meeting the constraint on its own.
            context.batch_rolled_back()
            outcomes = _run_batch(kind, batch, context, seen, dry_run=dry_run, careful=True)
        if dry_run:
            context.batch_rolled_back()
        else:
            context.batch_stood()
        for line, print_, outcome in outcomes:
            if outcome is True:
                report.imported += 1
                seen.add(print_)
            elif outcome is None:
                report.skipped += 1
            else:
                report.rejected.append((line, outcome))
        done += len(batch)
        if progress is not None:
            progress(done, len(table.rows))
    if not dry_run:
        ImportRecord.objects.create(actor=by, kind=kind.name, new=report.counts)
    return report


def _run_batch(kind: Kind, batch, context: Context, seen: set, *, dry_run: bool, careful: bool):
    """One transaction. A kind that writes its rows together (``Kind.together``) has each row
    checked in its turn, a row that fails rejected alone with nothing of it written, and the
    rows that pass written together at the end; another kind (or ``careful``) has each row in
    its savepoint. The rows' ``ImportedRow`` (and the callers' ``ImportedCaller``) are written
    together at the end, in the same transaction; ``careful`` writes each with its row instead,
    through the kind's import_row. Returns (line, fingerprint, outcome) per row."""
    outcomes = []
    context.deferring = not careful
    landed: list[ImportedRow] = []
    # The tables the batch writes have their data versions changed once, with its commit.
    with transaction.atomic(), versions.written_once():
        there = set(
            ImportedRow.objects.filter(
                kind=kind.name, fingerprint__in=[each for _line, _values, each in batch]
            ).values_list("fingerprint", flat=True)
        )
        rows = [values for _line, values, each in batch if each not in there and each not in seen]
        kind.prepare(rows, context)
        together = None if careful else kind.together(rows, context)
        taken = set()
        for line, values, print_ in batch:
            if print_ in there or print_ in seen or print_ in taken:
                outcomes.append((line, print_, None))
                continue
            if together is not None:
                outcome = _check_one(kind, together, values, print_, context, landed=landed)
            else:
                outcome = _import_one(kind, values, print_, context, landed=landed, careful=careful)
            if outcome is True:
                taken.add(print_)
            outcomes.append((line, print_, outcome))
        if together is not None and landed:
            together.write()
        if landed:
            ImportedRow.objects.bulk_create(landed)
        context.write_deferred()
        if dry_run:
            transaction.set_rollback(True)
    return outcomes


def _check_one(kind: Kind, together, values: dict, print_: str, context: Context, *, landed):
    """True: the row passed, and is written with the batch; else the reason it is rejected."""
    try:
        record = together.add(values)
    except (Rejected, Refusal, ValidationError) as error:
        return _reason(kind, error)
    landed.append(
        ImportedRow(kind=kind.name, fingerprint=print_, record=record, imported_by=context.by)
    )
    return True


def _import_one(kind: Kind, values: dict, print_: str, context: Context, *, landed, careful):
    """True: imported; None: another import took the same row a moment ago; else the reason."""
    try:
        with transaction.atomic():
            record = kind.import_row(values, context)
            row = ImportedRow(
                kind=kind.name, fingerprint=print_, record=record, imported_by=context.by
            )
            if careful:
                row.save()
    except (Rejected, Refusal, ValidationError) as error:
        context.row_fell()
        return _reason(kind, error)
    except IntegrityError:
        context.row_fell()
        if ImportedRow.objects.filter(kind=kind.name, fingerprint=print_).exists():
            return None
        return _("It could not be saved: something it names changed at the same moment.")
    except BaseException:
        context.row_fell()
        raise
    if not careful:
        landed.append(row)
    context.row_stood()
    return True
