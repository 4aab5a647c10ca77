"""Statistical confidentiality of the figures that leave the venue: the bilan's CSV and PDF
(services/gateway/bilan.py), sent to the CAF and France Travail.

Source: the pilot's funders (défi innovation sociale CNAF × France Travail) ask that « counts
under 5 are masked in anything that leaves the venue » (the domain notes, passerelles.md); it
follows the usual rule of French public statistics (secret statistique: a cell describing fewer
than a handful of people may point at one of them). [practice] for the reading below.

The reading chosen here:
- A count from 1 to 4 is written « < 5 ». 0 stays 0: « nobody » describes no one, and a 0 masked
  as « < 5 » would make an empty step of the funnel look like a few people.
- 5 and more are written as they are.
- A rate derived from counts (a step's conversion in the funnel) is masked, « secret (< 5) »,
  when its numerator or its denominator is from 1 to 4: shown, it would give the masked count
  back (0.50 of 6 is 3).
- Hours (training, volunteering, placements) and the crèche's rates (occupancy, billing ratio)
  are sums of hours, not counts of people: they are written as they are.
Not handled: a masked count recomputed by subtracting two published counts (secondary
secrecy); the bilan publishes no total made of its parts.

The JSON API and the staff's own page, read by the venue's staff only, show exact counts.
"""

THRESHOLD = 5  # the smallest count written as it is
MASKED = "< 5"
MASKED_RATE = "secret (< 5)"


def is_small(count):
    """True for a count from 1 to THRESHOLD - 1: the counts that are masked."""
    return isinstance(count, int) and not isinstance(count, bool) and 0 < count < THRESHOLD


def count(value):
    """The count as it may leave the venue: « < 5 » for 1 to 4, else the count itself (0 too).
    A value that is not a whole number (hours, a rate written as text) is given back unchanged."""
    return MASKED if is_small(value) else value


def rate(value, numerator, denominator):
    """A rate computed from `numerator` ÷ `denominator` as it may leave the venue: MASKED_RATE
    when either count is from 1 to 4, else the rate (None: no rate, e.g. nothing to divide by)."""
    if value is None:
        return None
    if is_small(numerator) or is_small(denominator):
        return MASKED_RATE
    return value
