"""Payroll compliance: payroll files read all-or-nothing into the canonical frame (``parsing``),
kept as columnar copies (``storage``), checked against every typed term of a contract in effect
(``checks``), with the breaches found, their lifecycle and rectification notices. Sits above
the contract core, whose contracts it checks."""
