"""Education's enrolment events on the real broker: a volunteer enrolled in a training session is
told once (one notification, one email at the address her service gives: a stand-in answering
`contact`, conftest.py) whatever the number of deliveries, then told of the cancellation; a
trainee their service does not know gets the notice on their page, and no email."""

from nameko.testing.services import entrypoint_waiter

from services.notifications.service import NotificationsService
from shared.events import new_event
from tests.integration.notifications.test_notifications_flow import listed, statuses
from tests.support import wait_for

ENROLMENT = {
    "enrolment_id": "e-1",
    "session_id": "s-1",
    "title": "Premiers secours en crèche",
    "participant_kind": "volunteer",
    "participant_id": "v-1",
    "starts_at": "2030-12-03T08:00:00+00:00",
}


def deliver(container, publish_raw, event, handler):
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(event["type"], event)
    return result.get()


def test_a_confirmed_enrolment_delivered_twice_tells_the_volunteer_once_by_page_and_email(
    container_factory, service_config, mail_env, smtp, publish_raw, owners
):
    smtp.start()
    owners()
    notifications = container_factory(NotificationsService, service_config)
    notifications.start()

    confirmed = new_event("education.enrolment_confirmed", ENROLMENT)
    deliver(notifications, publish_raw, confirmed, "notify_enrolment_confirmed")
    assert deliver(notifications, publish_raw, confirmed, "notify_enrolment_confirmed") is None  # skipped: inbox

    [notice] = listed(notifications, "volunteer", "v-1")
    assert notice["kind"] == "enrolment_confirmed"
    assert notice["text"].startswith("Votre inscription à la formation « Premiers secours en crèche » du mardi 3")
    wait_for(lambda: statuses() == {"sent": 1}, message="the email sent")
    assert [to for to, _raw in smtp.messages] == [["jeanne.martin@example.fr"]]

    cancelled = new_event("education.enrolment_cancelled", dict(ENROLMENT, reason="Session annulée"))
    deliver(notifications, publish_raw, cancelled, "notify_enrolment_cancelled")
    deliver(notifications, publish_raw, cancelled, "notify_enrolment_cancelled")
    kinds = [n["kind"] for n in listed(notifications, "volunteer", "v-1")]
    assert sorted(kinds) == ["enrolment_cancelled", "enrolment_confirmed"]
    wait_for(lambda: statuses() == {"sent": 2}, message="both emails sent")


def test_a_waitlisted_trainee_is_told_their_position_on_their_page(notifications, publish_raw):
    waitlisted = dict(ENROLMENT, participant_kind="trainee", participant_id="t-1", position=2)
    deliver(
        notifications,
        publish_raw,
        new_event("education.enrolment_waitlisted", waitlisted),
        "notify_enrolment_waitlisted",
    )

    [notice] = listed(notifications, "trainee", "t-1")
    assert notice["kind"] == "enrolment_waitlisted"
    assert "vous êtes en position 2" in notice["text"]
    assert listed(notifications, "volunteer", "v-1") == []
    wait_for(lambda: statuses() == {}, message="no email: placements knows no such trainee")
