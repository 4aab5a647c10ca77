"""The education service's published interface: its marshmallow In (what a call takes), Out (what
it answers) and Query (a list's filters) schemas. The gateway may import this module, and no
other of this service. Event payloads are not here: one schema per event in
shared/events/education.py. Empty until [10/12]; worked example: services/volunteers/schemas.py.
"""
