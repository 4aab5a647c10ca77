"""Two concurrent changes of one row on PostgreSQL: one wins, the other is a 409 and emits nothing.

Two BookingsService instances share one PostgreSQL database. Each has a single worker, so while
the first call is held, the second one can only be taken by the other instance (asserted).
A barrier after each call's locked read (`get_locked`, see shared/db.py) holds the first call
until the second has read too, or BARRIER_SECONDS: without the lock both calls read the same
state and both write; with it the second waits in SELECT … FOR UPDATE, the barrier gives up,
the first commits, and the second reads that outcome and answers 409.

The two instances are two nameko containers in this process rather than two processes (see
test_booking_race.py for those): for the database they are the same thing, since every worker
has its own PostgreSQL connection (peewee keeps one per greenthread) and psycopg2 is made green
(shared/db.py), so a worker blocked in FOR UPDATE blocks only itself. In-process containers let
the test put its barrier inside the services and see which instance took each call.
"""

from collections import Counter
from datetime import date, timedelta

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.bookings import models
from services.bookings.calendar import store as calendar_store
from services.bookings.childcare import store as childcare_store
from services.bookings.contracts import store as contracts_store
from services.bookings.service import BookingsService
from shared import migrate
from shared.errors import Conflict
from tests.dates import at, set_clock
from tests.factories import (
    book,
    contract_fields,
    create_child,
    create_family,
    create_slot,
    family_fields,
    room_fields,
    schedule_activity,
    weekly,
)
from tests.staff_on_duty import clear_trainee, seed_staff

BARRIER_SECONDS = 1.5


class AfterTheRead:
    """Holds each call after its first locked read until `parties` calls have read (or `timeout`);
    records which service instance took each call."""

    def __init__(self, containers, parties=2, timeout=BARRIER_SECONDS):
        self.containers, self.parties, self.timeout = containers, parties, timeout
        self.everyone_read = eventlet.event.Event()
        self.readers = []
        self.instances = []

    def wrap(self, load):
        def load_then_wait(query):
            row = load(query)
            self.wait()
            return row

        return load_then_wait

    def wait(self):
        me = eventlet.greenthread.getcurrent()
        if me in self.readers:
            return  # a call waits once, after its first read
        self.readers.append(me)
        self.instances.append(next(i for i, c in enumerate(self.containers) if me in c._worker_threads.values()))
        if len(self.readers) == self.parties:
            self.everyone_read.send()
        with eventlet.Timeout(self.timeout, False):
            self.everyone_read.wait()


def two_instances(service_class, postgres_url, rabbit_config, container_factory):
    """Two instances of a service on one fresh PostgreSQL database, one worker each; the relay is
    off, so the outbox shows exactly what each call emitted."""
    component = service_class.name
    migrate.migrate(component, postgres_url)
    config = {
        "AMQP_URI": rabbit_config["AMQP_URI"],
        f"{component.upper()}_DATABASE_URL": postgres_url,
        "max_workers": 1,
        "OUTBOX_RELAY": "off",
    }
    containers = [container_factory(service_class, config) for _ in range(2)]
    for container in containers:
        container.start()
    return containers


@pytest.fixture
def bookings(postgres_url, rabbit_config, container_factory):
    containers = two_instances(BookingsService, postgres_url, rabbit_config, container_factory)
    seed_staff(containers[0])  # the activities' leads (tests/staff_on_duty.py); one database for both
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as rpc:
        yield containers, rpc.bookings


@pytest.fixture
def known_trainees(postgres_databases, rabbit_config, container_factory):
    """The placements service on its own PostgreSQL database (the test's SQLite databases would
    re-point bookings' database, bound above to PostgreSQL), with these trainees."""
    from services.placements.service import PlacementsService
    from tests.integration.conftest import trainees_service

    url = postgres_databases()
    migrate.migrate("placements", url)
    config = {"AMQP_URI": rabbit_config["AMQP_URI"], "PLACEMENTS_DATABASE_URL": url, "OUTBOX_RELAY": "off"}
    return trainees_service(lambda: container_factory(PlacementsService, config))


@pytest.fixture
def barrier(bookings, monkeypatch):
    """Call `barrier()` once the set-up is done: from then on every locked read waits."""
    containers, _ = bookings

    def install():
        after = AfterTheRead(containers)
        for store in (calendar_store, childcare_store, contracts_store):  # every locked read (the areas' stores)
            monkeypatch.setattr(store, "get_locked", after.wrap(store.get_locked))
        return after

    return install


def race(*pending):
    """Outcomes of concurrent calls: the answer, or the Conflict raised."""
    outcomes = []
    for reply in pending:
        try:
            outcomes.append(reply.result())
        except Conflict as refused:
            outcomes.append(refused)
    return outcomes


def emitted():
    with models.database.connection_context():
        return Counter(row.event_type for row in models.Outbox.select())


def activity_events():
    with models.database.connection_context():
        return [row.event_type.split(".")[1] for row in models.Outbox.select().order_by(models.Outbox.id)]


def refusals(outcomes):
    return [o for o in outcomes if isinstance(o, Conflict)]


def confirmed_booking(service):
    """A family's confirmed booking of a slot 08:00-12:00 on DAY (a room of 10 places)."""
    family = create_family(service)
    booking = book(service, family, create_slot(service), create_child(service, family))
    assert booking["status"] == "confirmed"
    return family, booking


def tell(container, *trainee_ids):
    """These trainees cleared, as placements tells bookings (the instances share one database)."""
    for trainee_id in trainee_ids:
        clear_trainee(container, trainee_id)


def test_two_trainees_for_the_last_trainee_slot_one_is_a_409(bookings, barrier, known_trainees):
    containers, service = bookings
    known_trainees("t1", "t2")
    tell(containers[0], "t1", "t2")
    activity = schedule_activity(service, trainee_slots=1)
    after = barrier()
    outcomes = race(
        service.assign_trainee.call_async(activity["id"], {"trainee_id": "t1"}),
        service.assign_trainee.call_async(activity["id"], {"trainee_id": "t2"}),
    )
    assert sorted(after.instances) == [0, 1], "each instance should have taken one call"
    [refused] = refusals(outcomes)
    assert "places de stagiaire" in refused.message
    assert len(service.get_activity(activity["id"])["trainees"]) == 1
    assert emitted()["bookings.trainee_assigned"] == 1


def test_one_trainee_assigned_to_two_activities_at_the_same_time_once_is_a_409(bookings, barrier, known_trainees):
    containers, service = bookings
    known_trainees("t1")
    tell(containers[0], "t1")
    first = schedule_activity(service)  # 09:00-10:00, one trainee slot
    others = seed_staff(containers[0], "staff-third", "staff-fourth")  # a staff member is in one place at a time
    second = schedule_activity(
        service,
        title="Potager",
        kind="gardening",
        starts_at=at(9, 30),
        ends_at=at(10, 30),
        lead_staff_id=others[0],
        staff_ids=others[1:],
    )
    after = barrier()  # each call locks its own activity: the trainee is what they share
    outcomes = race(
        *(service.assign_trainee.call_async(activity["id"], {"trainee_id": "t1"}) for activity in (first, second))
    )
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)
    assert refused.message.startswith("Ce stagiaire est déjà pris à ce moment")
    assert emitted()["bookings.trainee_assigned"] == 1


def test_cancel_racing_reschedule_ends_as_the_events_say(bookings, barrier):
    containers, service = bookings
    activity = schedule_activity(service)
    after = barrier()
    cancelled, rescheduled = race(
        service.cancel_activity.call_async(activity["id"], {"reason": "Conteuse malade"}),
        service.reschedule_activity.call_async(activity["id"], {"starts_at": at(14), "ends_at": at(15)}),
    )
    assert sorted(after.instances) == [0, 1]
    stored = service.get_activity(activity["id"])
    # Whichever locked the activity first, the end state is the two calls applied one after the
    # other, never a mix (the bug: "scheduled" after both events, or the old times kept).
    assert not isinstance(cancelled, Conflict), "a scheduled activity, moved or not, can be cancelled"
    assert stored["status"] == "cancelled"
    if isinstance(rescheduled, Conflict):  # the cancellation went first: nothing to move any more
        assert rescheduled.message == "L'activité est déjà annulée."
        assert activity_events() == ["activity_scheduled", "activity_cancelled"]
        assert stored["starts_at"] == activity["starts_at"]
    else:  # the reschedule went first, then the moved activity was cancelled
        assert activity_events() == ["activity_scheduled", "activity_rescheduled", "activity_cancelled"]
        assert stored["starts_at"] == rescheduled["starts_at"] == at(14)


def test_a_second_cancel_of_the_same_booking_is_a_409_and_emits_nothing(bookings, barrier):
    containers, service = bookings
    family, booking = confirmed_booking(service)
    after = barrier()
    outcomes = race(
        service.cancel_booking.call_async(booking["id"], family["id"]),
        service.cancel_booking.call_async(booking["id"], family["id"]),
    )
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)
    assert refused.message == "Cette réservation est déjà annulée."
    assert emitted()["bookings.booking_cancelled"] == 1


def test_a_second_check_in_of_the_same_booking_is_a_409_and_emits_nothing(bookings, barrier, monkeypatch):
    containers, service = bookings
    family, booking = confirmed_booking(service)
    set_clock(monkeypatch, 10)
    after = barrier()
    outcomes = race(
        service.check_in.call_async(booking["id"], {"at": at(8, 30)}),
        service.check_in.call_async(booking["id"], {"at": at(8, 35)}),
    )
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)
    assert refused.message.startswith("Arrivée déjà notée")
    assert emitted()["bookings.child_checked_in"] == 1


# --- a unique value claimed twice at once: the database refuses one, the caller gets a 409 ---------
@pytest.fixture
def before_insert(monkeypatch):
    """Hold each create of `model` (after its "already taken?" check) until both calls got there."""

    def install(model, containers):
        after = AfterTheRead(containers)
        create = model.create
        monkeypatch.setattr(model, "create", classmethod(lambda cls, **fields: (after.wait(), create(**fields))[1]))
        return after

    return install


def test_two_rooms_created_with_one_name_at_once_one_is_a_409_on_the_name(bookings, before_insert):
    containers, service = bookings
    after = before_insert(models.Room, containers)
    outcomes = race(*(service.create_room.call_async(room_fields(name="Lucioles", capacity=c)) for c in (10, 12)))
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)  # not a RemoteError (a 500 at the gateway)
    assert refused.status == 409
    assert refused.fields == {"name": ["Déjà utilisé."]}
    assert [room["name"] for room in service.list_rooms()["items"]] == ["Lucioles"]


def test_two_families_registered_with_one_email_at_once_one_is_a_409_on_the_email(bookings, before_insert):
    containers, service = bookings
    after = before_insert(models.Family, containers)
    family = family_fields(email="famille@example.fr")
    outcomes = race(service.register_family.call_async(family), service.register_family.call_async(family))
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)
    assert refused.fields == {"email": ["Déjà utilisé."]}
    with models.database.connection_context():
        assert models.Family.select().count() == 1


def test_two_volunteers_registered_with_one_email_at_once_one_is_a_409_on_the_email(
    postgres_url, rabbit_config, container_factory, before_insert
):
    from services.volunteers import models as volunteer_models
    from services.volunteers.service import VolunteersService

    containers = two_instances(VolunteersService, postgres_url, rabbit_config, container_factory)
    after = before_insert(volunteer_models.Volunteer, containers)
    volunteer = {
        "email": "jeanne@example.fr",
        "first_name": "Jeanne",
        "last_name": "Roux",
        "birth_date": "1950-04-02",
        "phone": "0601020304",
    }
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as rpc:
        outcomes = race(*(rpc.volunteers.register_volunteer.call_async(volunteer) for _ in range(2)))
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)
    assert refused.fields == {"email": ["Déjà utilisé."]}
    with volunteer_models.database.connection_context():
        assert volunteer_models.Volunteer.select().count() == 1
        assert volunteer_models.Outbox.select().count() == 1  # one volunteer_registered


def test_a_second_account_with_the_same_email_is_a_409_on_postgresql(postgres_url):
    from services.gateway import auth
    from services.gateway.models import database
    from shared.db import bind

    migrate.migrate("gateway", postgres_url)
    bind(database, "gateway", postgres_url)
    with database.connection_context():
        with database.atomic():
            auth.create_account("anne@example.fr", "carnet-du-soir-7", "family")
        with pytest.raises(Conflict) as refused:
            with database.atomic():
                auth.create_account("Anne@example.fr", "carnet-du-soir-8", "family")
    assert refused.value.fields == {"email": ["Adresse déjà utilisée."]}
    assert refused.value.message == "Un compte existe déjà avec cette adresse."


def test_a_booking_racing_a_correction_of_the_familys_resources_is_priced_at_the_new_rate(bookings, barrier):
    containers, service = bookings
    family = create_family(service)  # 3,000 € a month, one child: 1.857 €/h
    child, slot = create_child(service, family), create_slot(service)
    after = barrier()
    booked, corrected = race(
        service.book.call_async(family["id"], {"slot_id": slot["id"], "child_id": child["id"]}),
        service.correct_family.call_async(family["id"], {"monthly_resources": "2000"}, "staff-1"),
    )
    assert sorted(after.instances) == [0, 1]
    # whichever locked the family first: the booking is priced on 2,000 € (1.238 €/h), at once or
    # repriced by the correction, never left at the rate of figures being corrected
    [stored] = service.list_bookings({"family_id": family["id"]})["items"]
    assert stored["hourly_rate"] == "1.238"
    assert corrected["monthly_resources"] == "2000.00"


# --- regular care contracts: the last place of a day -----------------------------------------------
@pytest.fixture
def one_place(monkeypatch):
    """A crèche of one place and no AVIP share (ask for it before `bookings`)."""
    monkeypatch.setenv("COCOON_CRECHE_PLACES", "1")
    monkeypatch.setenv("COCOON_AVIP_SHARE", "0")


def requested_contract(service, starts_on):
    """A family's contract asked for Monday to Friday mornings over two weeks from `starts_on`."""
    family = create_family(service)
    child = create_child(service, family)
    fields = contract_fields(
        child["id"], starts_on, starts_on + timedelta(days=11), pattern=weekly(range(5), "09:00", "12:00")
    )
    return service.request_contract(fields, family["id"])


def coming_monday():
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def test_two_contracts_for_the_last_place_one_is_a_409(one_place, bookings, barrier):
    containers, service = bookings
    first, second = (requested_contract(service, coming_monday()) for _ in range(2))
    after = barrier()
    outcomes = race(*(service.accept_contract.call_async(c["id"]) for c in (first, second)))
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)
    assert refused.message.startswith("Pas de place pour ce contrat 10 jour(s)")
    assert sorted(service.get_contract(c["id"])["status"] for c in (first, second)) == ["active", "requested"]
    assert emitted()["bookings.contract_signed"] == 1


def test_a_contract_and_a_booking_for_the_last_place_only_one_gets_it(one_place, bookings, barrier):
    containers, service = bookings
    monday = coming_monday()
    contract = requested_contract(service, monday)
    room = service.create_room(room_fields(kind="childcare", capacity=1))
    slot = service.create_slot(
        {
            "room_id": room["id"],
            "starts_at": f"{monday}T10:00:00+01:00",
            "ends_at": f"{monday}T11:00:00+01:00",
            "age_group": "mixed",
            "staff_on_duty": 2,
        }
    )
    family = create_family(service)
    child = create_child(service, family, first_name="Noé")
    after = barrier()
    accepted, booked = race(
        service.accept_contract.call_async(contract["id"]),
        service.book.call_async(family["id"], {"slot_id": slot["id"], "child_id": child["id"]}),
    )
    assert sorted(after.instances) == [0, 1]
    if isinstance(accepted, Conflict):  # the booking took the place first
        assert booked["status"] == "confirmed"
        assert monday.isoformat() in accepted.fields["days"]
    else:
        assert booked["status"] == "waitlisted"
    assert emitted()["bookings.contract_signed"] + emitted()["bookings.booking_confirmed"] == 1
