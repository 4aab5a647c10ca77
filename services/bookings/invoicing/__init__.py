"""Months closed into numbered invoices, credit notes, payments and balances (entrypoints, store,
presenters); the month as a family is asked to pay it is month_statements.py."""
