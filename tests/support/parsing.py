"""Parsing the project's own source in tests."""

from __future__ import annotations

import ast
import gc


def parsed(source: str) -> ast.Module:
    """`ast.parse` with the garbage collector held off: on CPython 3.11 a finaliser that runs
    during the parse (a pooled PostgreSQL connection cut off by a server another test
    stopped) can fail it with "AST constructor recursion depth mismatch"."""
    gc.disable()
    try:
        return ast.parse(source)
    finally:
        gc.enable()
