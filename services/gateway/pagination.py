"""A list answered a page at a time (shared/pagination.py): the body stays the JSON array of
docs/api.md, the next page is given by headers, so a client that reads only the body keeps
working (it gets the first page).

    Link: <https://…/api/v1/bookings?status=confirmed&limit=100&cursor=…>; rel="next"   (RFC 8288)
    X-Next-Cursor: …

Neither is sent on the last page."""

from urllib.parse import urlencode

from flask import jsonify, request

NEXT_PAGE_HEADERS = {
    "Link": {
        "description": 'La page suivante, s\'il y en a une : <URL>; rel="next" (RFC 8288), mêmes filtres, même limit.',
        "schema": {"type": "string"},
    },
    "X-Next-Cursor": {
        "description": "Le curseur de la page suivante (paramètre cursor), absent sur la dernière page.",
        "schema": {"type": "string"},
    },
}


def page_response(answer, query):
    """`answer`: a list RPC's {"items", "next_cursor"}; `query`: the route's query parameters as given."""
    response = jsonify(answer["items"])
    cursor = answer.get("next_cursor")
    if cursor:
        response.headers["Link"] = f'<{request.base_url}?{urlencode({**query, "cursor": cursor})}>; rel="next"'
        response.headers["X-Next-Cursor"] = cursor
    return response
