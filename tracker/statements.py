"""Queries compiled once per shape, then run with each request's own filter values.

Django builds and compiles a query afresh on every request. For the table's totals, a GROUP BY
over the roll-up, building and compiling cost Django more than the database spends running it;
for the ids of a page, half of what reading them costs.
Yet across requests the statement changes only in its WHERE clause: the filters. So
``values_rows`` compiles the filters alone (a fraction of the whole), and looks the rest of the
statement up by the filters' SQL; only a shape not seen before builds the full query.

A cached statement is reused only for a query of the same model, tables joined, filter SQL,
ordering and ``key`` (which names whatever the caller's ``finish`` makes of the query), and
only for simple queries: no annotations, distinct, slicing, extra, locking or set operations,
whose SQL could differ for reasons the filters' SQL does not show. Whether a statement is
reusable at all is checked when it is first compiled: the filters' SQL must appear in it once,
with their values in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

#: Distinct statements kept per process before the cache starts afresh: every combination of
#: filters the analysts use, with room to spare (a few kB each).
STATEMENTS_KEPT = 512

#: A placeholder in Django's SQL: "%s", not a literal "%%s".
PLACEHOLDER = re.compile(r"(?<!%)%s")


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    #: the statement's parameters before and after those of the filters
    before: tuple
    after: tuple
    #: converts the columns read, as for the query it was compiled from
    compiler: SQLCompiler


_statements: dict[Hashable, Compiled | None] = {}
#: A shape not compiled yet (None is a shape found not to be reusable).
UNSEEN = object()


def values_rows(
    queryset: QuerySet, finish: Callable[[QuerySet], QuerySet], key: Hashable
) -> list[tuple]:
    """``list(finish(queryset))``, for a ``finish`` ending in ``values_list()`` that adds no
    filter of its own beyond constants: the rows as tuples.

    ``key`` must tell apart everything ``finish`` does (grouping, sums, ordering, options
    that change them); the filters of ``queryset`` are told apart here.
    """
    query = queryset.query
    if (
        query.annotations
        or query.distinct
        or query.is_sliced
        or query.combinator
        or query.extra
        or query.extra_order_by
        or query.group_by is not None
        or query.values_select
        or query.select_for_update
    ):
        return list(finish(queryset))
    alias = queryset.db
    try:
        where, where_params = query.get_compiler(alias).compile(query.where)
    except EmptyResultSet:
        return []  # Django runs no query for a filter that matches nothing either
    except FullResultSet:
        where, where_params = "", ()
    joins = tuple(
        (name, join.table_name, getattr(join, "join_type", None), getattr(join, "join_field", None))
        for name, join in query.alias_map.items()
        if query.alias_refcount[name]
    )
    ordering = (query.order_by, query.default_ordering, query.standard_ordering)
    shape = (key, query.model, alias, joins, where, ordering)
    statement = _statements.get(shape, UNSEEN)
    if statement is UNSEEN:
        if len(_statements) >= STATEMENTS_KEPT:
            _statements.clear()
        final = finish(queryset)
        statement = _statements[shape] = compiled_statement(final, alias, where, where_params)
        if statement is None:
            return list(final)
    elif statement is None:
        return list(finish(queryset))
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, (*statement.before, *where_params, *statement.after))
        results = cursor.fetchall()
    return list(statement.compiler.results_iter([results], tuple_expected=True))


def compiled_statement(
    queryset: QuerySet, alias: str, where: str, where_params: tuple | list
) -> Compiled | None:
    """``queryset`` compiled, its parameters split around those of ``where``; None when its
    SQL does not hold ``where`` exactly once, with the same values in the same place."""
    compiler = queryset.query.get_compiler(alias)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return None
    if compiler.has_extra_select:
        return None  # rows would carry columns the caller did not ask for
    params = tuple(params)
    if not where:
        return None if where_params else Compiled(sql, params, (), compiler)
    clause = f" WHERE {where}"
    if sql.count(clause) != 1:
        return None
    start = len(PLACEHOLDER.findall(sql[: sql.index(clause)]))
    end = start + len(where_params)
    if params[start:end] != tuple(where_params):
        return None
    return Compiled(sql, params[:start], params[end:], compiler)
