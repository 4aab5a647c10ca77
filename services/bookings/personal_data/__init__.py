"""The bookings service's part of the RGPD export (shared/personal_data.py): everything it holds
about a family and its children, or the activities and slots a staff member, a trainee or a
volunteer was named on. Read-only; it reads the other areas' stores and presenters (never their
entrypoints), so the file says what the person's pages and staff's pages show."""
