"""The phases of `make bench`, one module each; each gives report.Line rows with a cell per tree,
measuring the trees' stacks one after the other at each point (baseline, then change)."""
