"""The rule engine's common parts: regional rule packs, decisions that cite their
rule, and the deadline calculator (SPEC §2, R16)."""
