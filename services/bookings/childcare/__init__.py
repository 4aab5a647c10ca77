"""Childcare: families and children, slots, bookings and the waiting list, attendance, fees and
the monthly statement (entrypoints, store, presenters)."""
