"""A document a person downloads from the pages or the API: one answer shape for every PDF."""

from flask import Response


def pdf(data, filename):
    """The PDF `data` as an attachment named `filename`, kept by no shared cache (each document is
    one person's or one family's)."""
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )
