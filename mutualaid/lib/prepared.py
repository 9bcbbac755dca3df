"""A hot query's SQL, built by the ORM once and run again with other values.

Building a query of many subqueries in the ORM can cost more than the database takes to run it: the
match engine's volunteer pool took about 12 ms of Python to build and compile for 8 ms of SQLite.
A PreparedQuery builds its queryset once per shape with stand-in values, keeps the SQL and its
parameters, and runs it again with the real values put where the stand-ins were.

- ``values``: what changes from run to run and reaches the SQL as parameters: ints, strings,
  datetimes, UUIDs and lists of ints (a list's length is part of the shape: ``IN (%s, %s)`` has one
  mark per item).
- ``shape``: what changes the SQL's form (None or a value, a flag, a LIMIT): passed to the builder
  as it is, and part of the key the SQL is kept under.

``rows()`` gives tuples (the builder returns a values_list), with the ORM's converters applied
where a column has any (a UUID on SQLite); ``objects()`` gives model instances (the builder
returns a model queryset), their select_related rows and annotations attached as the ORM attaches
them; ``later()`` gives them run only when first read, as a queryset is (for a page that may not
show them: one served from a kept fragment). A stand-in the compiled parameters do not show (a
value folded into the SQL text) is a mistake in the builder, and raises at once.
"""

import uuid
from datetime import UTC, datetime, timedelta

from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators
from django.utils.functional import SimpleLazyObject

# Stand-ins no real value takes: negative ids, a datetime in 1901.
_BASE = -987_654_000_000
_SINCE = datetime(1901, 1, 1, tzinfo=UTC)


class PreparedQuery:
    def __init__(self, build):
        """``build(**values, **shape)`` returns a queryset (values_list) for those values."""
        self.build = build
        self.kept = {}

    def rows(self, *, values: dict, shape: dict | None = None, using: str = "default") -> list:
        """The rows, as tuples, for these values."""
        return self._run(values, shape, using)[0]

    def objects(self, *, values: dict, shape: dict | None = None, using: str = "default") -> list:
        """The model instances, with their select_related rows, for these values."""
        rows, compiled = self._run(values, shape, using)
        if compiled.model is None:
            raise TypeError("objects() needs a builder that returns a model queryset")
        return [compiled.instance(row) for row in rows]

    def later(self, *, values: dict, shape: dict | None = None, using: str = "default"):
        """``objects()``, run the first time the result is read (iterated, counted, indexed)."""
        return SimpleLazyObject(lambda: self.objects(values=values, shape=shape, using=using))

    def _run(self, values, shape, using):
        shape = shape or {}
        connection = connections[using]
        key = (
            using,
            tuple(sorted(shape.items())),
            tuple((name, _length(value)) for name, value in sorted(values.items())),
        )
        if key not in self.kept:
            self.kept[key] = self._compile(values, shape, connection, using)
        compiled = self.kept[key]
        real = {name: _adapted(connection, value) for name, value in values.items()}
        params = [
            constant if name is None else real[name] if index is None else real[name][index]
            for name, index, constant in compiled.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        return rows, compiled

    def _compile(self, values, shape, connection, using):
        stand_ins, found = {}, {}
        for number, (name, value) in enumerate(sorted(values.items())):
            stand_in = _stand_in(value, _BASE - number * 10_000)
            stand_ins[name] = stand_in
            items = stand_in if isinstance(stand_in, list) else [stand_in]
            for index, item in enumerate(items):
                found[item] = (name, index if isinstance(stand_in, list) else None)
                if isinstance(item, (datetime, uuid.UUID)):
                    found[_adapted(connection, item)] = found[item]
        queryset = self.build(**stand_ins, **shape)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = [
            (position, converters, expression)
            for position, (converters, expression) in compiler.get_converters(columns).items()
        ]
        slots, seen = [], set()
        for param in params:
            name, index = found.get(param, (None, None)) if _hashable(param) else (None, None)
            slots.append((name, index, param if name is None else None))
            seen.add(name)
        missing = set(values) - seen
        if missing:
            raise ValueError(f"the prepared query does not pass {sorted(missing)} as parameters")
        models = queryset._iterable_class is ModelIterable  # not a values() or values_list()
        return _Compiled(sql, slots, converters, compiler if models else None, using)


class _Compiled:
    """A shape's SQL, where each value goes, the columns' converters, and (for a model queryset)
    how a row becomes an instance: as Django's ModelIterable does it, worked out once."""

    def __init__(self, sql, slots, converters, compiler, using):
        self.sql, self.slots, self.converters = sql, slots, converters
        self.model = None
        if compiler is not None:  # a model queryset
            select, klass_info = compiler.select, compiler.klass_info
            fields = klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.model = klass_info["model"]
            self.names = [column[0].target.attname for column in select[self.start : self.end]]
            self.populators = get_related_populators(klass_info, select, using)
            self.annotations = list((compiler.annotation_col_map or {}).items())
            self.using = using

    def instance(self, row):
        instance = self.model.from_db(self.using, self.names, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, instance)
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance


def _converted(row, converters, connection) -> tuple:
    row = list(row)
    for position, functions, expression in converters:
        for function in functions:
            row[position] = function(row[position], expression, connection)
    return tuple(row)


def _length(value):
    return len(value) if isinstance(value, (list, tuple, set, frozenset)) else None


def _stand_in(value, base):
    if isinstance(value, (list, tuple, set, frozenset)):
        return [base - i for i in range(len(value))]
    if isinstance(value, datetime):
        return _SINCE + timedelta(seconds=-base % 1_000_000_000)
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=-base)
    if isinstance(value, int) and not isinstance(value, bool):
        return base
    if isinstance(value, str):
        return f"\x00prepared {base}"  # no real value holds a NUL
    raise TypeError(
        "a prepared query's value is an int, a string, a datetime, a UUID or a list of ints: "
        f"{value!r}"
    )


def _adapted(connection, value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
        return value.hex  # as UUIDField stores it
    return value


def _hashable(param) -> bool:
    try:
        hash(param)
    except TypeError:
        return False
    return True
