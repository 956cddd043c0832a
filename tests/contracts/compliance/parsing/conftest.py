"""Helpers for the parsing tests (CSV and spreadsheet problems are compared the same way)."""


def problems_of(result) -> list[tuple]:
    return [(p["row"], p["column"], p["value"], p["code"]) for p in result.problems]
