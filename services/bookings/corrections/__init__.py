"""Corrections of check-ins and check-outs by staff, with their history."""
