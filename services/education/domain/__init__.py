"""The education service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow, no clock or settings read here: the entrypoint passes them in).

- `planning`: a session's parts (half-days or days) [practice];
- `room_saga`: the session's room asked of bookings by events, and which answer counts;
- `enrolment`: places, the waiting list and its promotion, when enrolment closes, a session
  still under its minimum [practice];
- `attendance`: the attendance sheet per half-day (Code du travail R6332-26), each participant's
  hours and rate, the certificates' numbers (L6353-1);
- `certificates`: who gets the attestation and the certificat de réalisation (every participant
  with hours done), the assiduity mention from the threshold, the course's objectives and the
  trainer's results per objective;
- `funder_invoices`: one invoice per funder and session, for the hours done [practice];
- `bpf`: the yearly bilan pédagogique et financier's figures, by the cerfa's lines (L6352-11);
- `satisfaction`: the end-of-session questionnaire and its results (Qualiopi) [practice].

Each rule with its source (or a [practice] note when it is the venue's choice), tested in
tests/unit/education/ and listed in docs/education-rules.md.
"""
