"""The erasure of a person (RGPD art. 17) as every service carries it out (docs/privacy.md).

The team service owns an erasure: it publishes `team.account_erasure_requested` with the ids each
service knows the person by, and gathers the answers. Each service then, in its erasure mixin
(services/<service>/erasure.py):
- reads from its own rows what identifies the person (email, names, phones: the `needles`);
- drops the dead letters that mention them (`DeadLetters`, before its transaction: doing it again
  finds nothing, so a retried handler is harmless);
- in one transaction: replaces names, emails, phones and free text by a pseudonym, keeping the
  amounts, hours and dates accounting and the CAF need; deletes its delivered outbox rows and its
  stored command answers that mention the person, scrubs the undelivered ones; and emits
  `<service>.personal_data_erased` {erasure_id, service}.

The pseudonym is derived from the person's id, so every service writes the same one.
"""

import functools
import hashlib
import json
import operator
import re
from dataclasses import dataclass

from nameko.extensions import DependencyProvider

# The services that hold personal data and answer an erasure; the erasure is complete once each answered.
ERASURE_SERVICES = ("bookings", "placements", "volunteers", "education", "team", "notifications")
PSEUDONYM_PREFIX = "effacé-"
ERASED_DOMAIN = "efface.invalid"  # RFC 2606: never a real mailbox
MIN_NEEDLE = 3  # shorter strings ("", "A") would match everything


def short_hash(key):
    return hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:10]


def pseudonym(key):
    """`effacé-<short hash>` of the person's id: what stands for their name once erased."""
    return f"{PSEUDONYM_PREFIX}{short_hash(key)}"


def pseudonym_email(key):
    """A unique address that reaches nobody, standing for the person's email once erased."""
    return f"efface-{short_hash(key)}@{ERASED_DOMAIN}"


def is_pseudonym(value):
    return isinstance(value, str) and (value.startswith(PSEUDONYM_PREFIX) or value.endswith("@" + ERASED_DOMAIN))


def needles(*values):
    """The strings that identify the person, as searched for in text: each non-empty value at least
    MIN_NEEDLE long, once, already-erased values left out."""
    found = []
    for value in values:
        text = str(value or "").strip()
        if len(text) >= MIN_NEEDLE and not is_pseudonym(text) and text.lower() not in (n.lower() for n in found):
            found.append(text)
    return found


def _forms(needle):
    """The needle as written, and as json.dumps writes it (accents escaped)."""
    return {needle, json.dumps(needle)[1:-1]}


def mentions(text, found):
    """True when `text` (str or bytes) contains one of `found`, ignoring case."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    lowered = (text or "").lower()
    return any(form.lower() in lowered for needle in found for form in _forms(needle))


def scrub_text(text, found, replacement):
    """`text` with every occurrence of `found` (ignoring case) replaced by `replacement`."""
    if not isinstance(text, str) or not found:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in sorted(found, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(replacement, text)


def scrub_json(value, found, replacement):
    """A JSON value (dict, list, str…) with every string scrubbed."""
    if isinstance(value, dict):
        return {key: scrub_json(item, found, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_json(item, found, replacement) for item in value]
    return scrub_text(value, found, replacement)


@dataclass(frozen=True)
class Person:
    """What one service knows identifies a person: `ids` (its rows name them by these), `texts`
    (emails, full names, phones), `words` (each word of their names, replaced only inside rows
    already found to be theirs), `key` (the pseudonym's seed)."""

    key: str
    ids: tuple = ()
    texts: tuple = ()
    words: tuple = ()

    @property
    def found(self):
        """Everything that, written in a row, makes it about the person."""
        return needles(*self.ids, *self.texts)

    @property
    def scrubbed(self):
        """What is replaced by the pseudonym in their rows."""
        return needles(*self.texts, *self.words)

    @property
    def pseudonym(self):
        return pseudonym(self.key)


def person(key, ids=(), emails=(), names=(), phones=()):
    """A Person: `names` full ("Jeanne Martin"); their words are scrubbed too."""
    words = [word for name in names if name for word in str(name).split()]
    return Person(str(key), tuple(needles(*ids)), tuple(needles(*emails, *names, *phones)), tuple(needles(*words)))


def _any_mention(field, found):
    clauses = [field.contains(form) for needle in found for form in _forms(needle)]
    return functools.reduce(operator.or_, clauses)


def purge_outbox(outbox, who):
    """Outbox rows that mention the person: delivered ones are deleted (their consumers have them),
    those still to deliver are kept with their names, emails and phones replaced by the pseudonym
    (their ids stay, so the event still means something). Returns (deleted, scrubbed)."""
    found = who.found
    if not found:
        return 0, 0
    deleted = scrubbed = 0
    for row in list(outbox.select().where(_any_mention(outbox.body, found))):
        if not mentions(row.body, found):
            continue
        if row.published_at is not None or row.unconsumed_at is not None:
            outbox.delete().where(outbox.id == row.id).execute()
            deleted += 1
        else:
            body = scrub_json(json.loads(row.body), who.scrubbed, who.pseudonym)
            outbox.update(body=json.dumps(body)).where(outbox.id == row.id).execute()
            scrubbed += 1
    return deleted, scrubbed


def purge_rows_mentioning(model, field, found):
    """Delete the rows of `model` whose text `field` mentions one of `found` (stored command
    answers, for instance); returns how many."""
    if not found:
        return 0
    rows = model.select().where(_any_mention(field, found))
    ids = [row.get_id() for row in rows if mentions(getattr(row, field.name), found)]
    if not ids:
        return 0
    return model.delete().where(model._meta.primary_key.in_(ids)).execute()


def purge_spine(models, who):
    """The spine's copies of the person in one service: its outbox and its stored command answers."""
    purge_outbox(models.Outbox, who)
    purge_rows_mentioning(models.Idempotency, models.Idempotency.response, who.found)


def answer(service, erasure_id):
    """The payload of `<service>.personal_data_erased`."""
    return {"erasure_id": erasure_id, "service": service}


# --- dead letters -----------------------------------------------------------------------------
def drop_mentioning(connection, queue, found):
    """Remove from one dead-letter queue the messages that mention the person; the others are given
    back (requeued when the channel closes). Returns how many were dropped."""
    from shared.operator import dead_letters

    try:
        total, _ = dead_letters.depth(connection, queue)
    except dead_letters.QueueMissing:
        return 0
    channel = dead_letters.raw_channel(connection)
    dropped, given_back = 0, []
    try:
        for _ in range(total):
            message = channel.basic_get(queue, no_ack=False)
            if message is None:
                break
            if mentions(message.body, found):
                channel.basic_ack(message.delivery_tag)
                dropped += 1
            else:
                given_back.append(message.delivery_tag)
    finally:
        for tag in given_back:
            channel.basic_reject(tag, requeue=True)
        channel.close()
    return dropped


def purge_dead_letters(amqp_uri, found):
    """Drop from every dead-letter queue of the venue the messages that mention the person."""
    if not found:
        return 0
    from shared import topology
    from shared.operator import dead_letters

    with dead_letters.connect(amqp_uri) as connection:
        return sum(drop_mentioning(connection, queue, found) for queue in topology.dead_letter_queues())


class DeadLetters(DependencyProvider):
    """`self.dead_letters(who.texts)` in a worker: purge_dead_letters on the service's broker. Dead
    letters are found by the person's emails, full names and phones, never by an id alone: an id
    names them in other people's events too (an activity's lead), which must stay replayable."""

    def get_dependency(self, worker_ctx):
        return functools.partial(purge_dead_letters, self.container.config["AMQP_URI"])
