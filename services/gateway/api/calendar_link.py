"""The personal calendar link (docs/api.md, "Notifications and the personal calendar"): the
signed-in person's link, its reset, and the .ics file it serves (services/gateway/calendar_link.py)."""

from flask import Blueprint, Response, jsonify
from marshmallow import Schema, fields

from services.gateway import auth, calendar_link
from services.gateway.api import bp, services
from services.gateway.routing import api_route

# Outside /api/v1: the address a calendar app subscribes to (docs/api.md, "Notifications and the personal calendar").
feeds_bp = Blueprint("feeds", __name__)
ICS = "text/calendar"


class CalendarLinkOut(Schema):
    url = fields.String()


@api_route(
    bp,
    "/me/calendar-link",
    "GET",
    "Mon lien d'agenda (iCalendar), à ajouter dans une application d'agenda",
    roles=auth.SIGNED_IN,
    response=CalendarLinkOut,
    tag="agenda",
)
def my_calendar_link():
    return jsonify(CalendarLinkOut().dump({"url": calendar_link.url_of(auth.current_account())}))


@api_route(
    bp,
    "/me/calendar-link/reset",
    "POST",
    "Changer de lien d'agenda : l'ancien ne répond plus (404)",
    roles=auth.SIGNED_IN,
    response=CalendarLinkOut,
    tag="agenda",
)
def reset_my_calendar_link():
    return jsonify(CalendarLinkOut().dump(calendar_link.reset_once(auth.current_account())))


@api_route(
    feeds_bp,
    "/calendar/<secret>.ics",
    "GET",
    "Agenda personnel au format iCalendar (RFC 5545) : le lien secret tient lieu de connexion",
    roles=auth.PUBLIC,
    tag="agenda",
    content_type=ICS,
)
def calendar_feed(secret):
    account = calendar_link.account_for(secret)  # 404 for an unknown or replaced link
    with services() as rpc:
        body = calendar_link.calendar_file(rpc, account)
    return Response(
        body,
        content_type=f"{ICS}; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="cocoonage.ics"',
            "Cache-Control": "private, no-store",  # one person's agenda: kept by no shared cache
        },
    )
