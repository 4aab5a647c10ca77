"""A document a person downloads from the pages or the API: one answer shape for every PDF and CSV."""

from flask import Response


def pdf(data, filename):
    """The PDF `data` as an attachment named `filename`, kept by no shared cache (each document is
    one person's or one family's)."""
    return _attachment(data, "application/pdf", filename)


def csv(text, filename):
    """The CSV `text` as an attachment named `filename` (a spreadsheet opens it), kept by no shared cache."""
    return _attachment(text, "text/csv", filename)


def xml(text, filename):
    """The XML `text` (a bank file) as an attachment named `filename`, kept by no shared cache."""
    return _attachment(text, "application/xml", filename)


def _attachment(data, mimetype, filename):
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )
