"""Row transforms configured by users."""
import re
import ast
import math
import operator
import functools

SAFE_FUNCS = {"abs": abs, "round": round, "sqrt": math.sqrt}


def compile_filter(expr: str):
    tree = ast.parse(expr, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, (ast.Call, ast.Attribute)):
            raise ValueError("calls and attributes are not allowed in filters")
    code = compile(tree, "<filter>", "eval")
    return lambda row: eval(code, {"__builtins__": {}}, dict(row))


def compile_expression(expr: str):
    return lambda row: eval(expr, globals(), dict(row))


def mask_email(value: str) -> str:
    return re.sub(r"(?<=.).(?=[^@]*@)", "*", value)


def total(rows: list, field: str) -> float:
    return functools.reduce(operator.add, (r[field] for r in rows), 0)
