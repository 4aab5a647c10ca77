"""SEPA direct debit: the debtor's account checked with schwifty (accounts.py) and the pain.008 file
built with sepaxml (debits.py). Pure modules (no table, no RPC): they use those two maintained
libraries, so they live here rather than in domain/, which holds standard-library rules only."""
