"""Trigger of the SQL injection rule (checkers/py_sql.py)."""
from __future__ import annotations

import ast

from backdoor_lint.checkers import fast_search
from backdoor_lint.checkers.origin_tables import ATTACKER_INPUT_BYTES, SQL_EXECUTE_METHODS, SQL_TEXT
from backdoor_lint.checkers.triggers import PythonTrigger, sites
from backdoor_lint.checkers.triggers.sites_shell import calls_attribute, calls_one_of, calls_with_tail
from backdoor_lint.checkers.triggers.sites_tree import arguments, nodes

QUERYSET_EXTRA = "extra"  # QuerySet.extra(where=[...], select={...}): SQL fragments
RAW_SQL_SUFFIX = "RawSQL"  # django.db.models.expressions.RawSQL, and any class so named


class SqlInjection(PythonTrigger):
    TRIGGER = fast_search.compile(rb"execute|executemany|executescript|exec_driver_sql|\.raw\(|\.extra\(|\btext\(|RawSQL")
    TRIGGER_LITERALS = (b"execute", b"exec_driver_sql", b"raw(", b"extra(", b"text(", b"RawSQL")

    @classmethod
    def has_site(cls, facts) -> bool:
        # visit_Call reports only at a method call spelled with a name of SQL_EXECUTE_METHODS or
        # `extra` (by the attribute alone), or at a call qualnames resolves to SQL_TEXT or to a
        # name ending in RawSQL, and only where the statement (an argument) carries what
        # Dataflow.attacker_data finds: request input or network data (sites.attacker_data)
        def sql_calls(calls=None) -> bool:
            return calls_attribute(facts, SQL_EXECUTE_METHODS | {QUERYSET_EXTRA}, calls) \
                or calls_one_of(facts, SQL_TEXT, calls) \
                or calls_with_tail(facts, lambda name: name.endswith(RAW_SQL_SUFFIX), calls)

        if not sql_calls():
            return False
        # Dataflow.attacker_input_possible: request input or network data needs their text in the
        # file, or a name imported from a module of the tree whose value there may carry them
        if fast_search.search(ATTACKER_INPUT_BYTES, facts.code) is None \
                and not sites.any_import_carrying(facts, sites.attacker_data):
            return False
        carries = sites.attacker_data(facts)
        return sql_calls([call for call in nodes(facts, ast.Call) if any(carries(given) for given in arguments(call))])
