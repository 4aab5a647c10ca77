"""Notifications: each signed-in person's own (notifications service). The recipient is always
the signed-in account (its role and subject): nobody reads or marks another person's."""

from flask import jsonify

from services.gateway import auth
from services.gateway.api import bp, services
from services.gateway.pagination import page_response
from services.gateway.people import recipient
from services.gateway.routing import api_route
from services.notifications.schemas import NotificationOut, NotificationQuery


@api_route(
    bp,
    "/notifications",
    "GET",
    "Mes notifications, les plus récentes d'abord (paramètres limit, cursor)",
    roles=auth.SIGNED_IN,
    response=NotificationOut,
    many=True,
    query=NotificationQuery,
    tag="notifications",
)
def list_notifications(query):
    with services() as rpc:
        return page_response(rpc.notifications.list_notifications(*recipient(), query), query)


@api_route(
    bp,
    "/notifications/<notification_id>/read",
    "POST",
    "Marquer une de mes notifications comme lue (404 pour celle d'une autre personne)",
    roles=auth.SIGNED_IN,
    response=NotificationOut,
    tag="notifications",
)
def mark_notification_read(notification_id):
    with services() as rpc:
        return jsonify(rpc.notifications.mark_read(*recipient(), notification_id))
