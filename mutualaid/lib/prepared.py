"""A hot query's SQL, built by the ORM once and run again with other values.

Building a query of many subqueries in the ORM can cost more than the database takes to run it: the
match engine's volunteer pool took about 12 ms of Python to build and compile for 8 ms of SQLite.
A PreparedQuery builds its queryset once per shape with stand-in values, keeps the SQL and its
parameters, and runs it again with the real values put where the stand-ins were.

- ``values``: what changes from run to run and reaches the SQL as parameters: ints, datetimes and
  lists of ints (a list's length is part of the shape: ``IN (%s, %s)`` has one mark per item).
- ``shape``: what changes the SQL's form (None or a value, a flag, a LIMIT): passed to the builder
  as it is, and part of the key the SQL is kept under.

Rows are tuples, with the ORM's converters applied where a column has any (a UUID on SQLite). A
stand-in the compiled parameters do not show (a value folded
into the SQL text) is a mistake in the builder, and raises at once.
"""

from datetime import UTC, datetime, timedelta

from django.db import connections

# Stand-ins no real value takes: negative ids, a datetime in 1901.
_BASE = -987_654_000_000
_SINCE = datetime(1901, 1, 1, tzinfo=UTC)


class PreparedQuery:
    def __init__(self, build):
        """``build(**values, **shape)`` returns a queryset (values_list) for those values."""
        self.build = build
        self.kept = {}

    def rows(self, *, values: dict, shape: dict | None = None, using: str = "default") -> list:
        shape = shape or {}
        connection = connections[using]
        key = (
            using,
            tuple(sorted(shape.items())),
            tuple((name, _length(value)) for name, value in sorted(values.items())),
        )
        if key not in self.kept:
            self.kept[key] = self._compile(values, shape, connection, using)
        sql, slots, converters = self.kept[key]
        real = {name: _adapted(connection, value) for name, value in values.items()}
        params = [
            constant if name is None else real[name] if index is None else real[name][index]
            for name, index, constant in slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [_converted(row, converters, connection) for row in rows]
        return rows

    def _compile(self, values, shape, connection, using):
        stand_ins, found = {}, {}
        for number, (name, value) in enumerate(sorted(values.items())):
            stand_in = _stand_in(value, _BASE - number * 10_000)
            stand_ins[name] = stand_in
            items = stand_in if isinstance(stand_in, list) else [stand_in]
            for index, item in enumerate(items):
                found[item] = (name, index if isinstance(stand_in, list) else None)
                if isinstance(item, datetime):
                    found[connection.ops.adapt_datetimefield_value(item)] = found[item]
        compiler = self.build(**stand_ins, **shape).query.get_compiler(using=using)
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
        return sql, slots, converters


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
    if isinstance(value, int) and not isinstance(value, bool):
        return base
    raise TypeError(f"a prepared query's value is an int, a datetime or a list of ints: {value!r}")


def _adapted(connection, value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _hashable(param) -> bool:
    try:
        hash(param)
    except TypeError:
        return False
    return True
