"""Saved queries (`queries/*.sql`): discovery, typed parameters, running. See `library`."""

from ctlake.queries.library import SavedQuery, bind, load_queries, load_query, parse_query
from ctlake.queries.params import Parameter, parse_assignments
from ctlake.queries.run import run_query

__all__ = [
    "Parameter",
    "SavedQuery",
    "bind",
    "load_queries",
    "load_query",
    "parse_assignments",
    "parse_query",
    "run_query",
]
