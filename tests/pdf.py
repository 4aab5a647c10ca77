"""Reading back a PDF the project draws: its text (pypdf), for assertions on what a person reads."""

from io import BytesIO

from pypdf import PdfReader


def pdf_text(data):
    """The text of every page with every run of white space as one space (no-break ones too, and the
    line breaks of a wrapped table cell): « 8,26 € » whichever space it was drawn with."""
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_fonts(data):
    """{font name: embedded?} of every page's fonts."""
    fonts = {}
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = bool(descriptor and "/FontFile2" in descriptor.get_object())
    return fonts
