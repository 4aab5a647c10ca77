"""CSV files for spreadsheets, the French way (`;` between columns, CRLF, UTF-8 with its BOM),
with every cell a spreadsheet would run as a formula written as text: a name typed as
`=HYPERLINK("http://…"&A1,…)` must reach the staff's file as that text, never as a link."""

import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")  # "-1,50": a spreadsheet reads a number, nothing runs


def cell(value):
    """The value as the file writes it; one a spreadsheet would read as a formula gets a leading
    apostrophe (OWASP's advice), which shows it as the text it is."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


class Sheet:
    """Rows written as cells (`cell`) into CSV text: Sheet(); .row([...]); .text()."""

    def __init__(self, header=None):
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, delimiter=";", lineterminator="\r\n")
        if header is not None:
            self.row(header)

    def row(self, values=()):
        self._writer.writerow([cell(value) for value in values])

    def text(self):
        return "\ufeff" + self._out.getvalue()  # the BOM: Excel reads the accents as UTF-8
