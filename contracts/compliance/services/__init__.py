"""The writes of payroll compliance: imports, runs, breaches, and the sweep of lost work."""
