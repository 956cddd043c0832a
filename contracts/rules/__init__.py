"""The law as data, the lowest room of contracts: regional rule packs, decisions that cite
their rule, the deadline calculator (SPEC §2, R16), the typed term kinds with their pure
checks (``terms``) and the one formatter of amounts in their unit (``units``). It imports no
other room."""
