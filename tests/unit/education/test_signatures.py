"""A signature's image (services/education/domain/signatures.py): a PNG data URL within the size limit."""

import base64

from services.education.domain.signatures import MAX_BYTES, PNG_MAGIC, png_of


def url(data):
    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_a_png_data_url_gives_its_bytes():
    image = PNG_MAGIC + b"rest"
    assert png_of(url(image)) == (image, None)


def test_another_image_type_text_or_broken_base64_is_refused_with_a_sentence():
    assert "PNG" in png_of("data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8").decode())[1]
    assert "PNG" in png_of(url(b"GIF89a"))[1]
    assert "lisible" in png_of("data:image/png;base64,@@@")[1]
    assert png_of(None)[0] is None


def test_an_image_above_the_limit_is_refused_and_one_at_it_is_taken():
    assert png_of(url(PNG_MAGIC + b"x" * (MAX_BYTES - len(PNG_MAGIC))))[1] is None
    assert "trop lourde" in png_of(url(PNG_MAGIC + b"x" * (MAX_BYTES - len(PNG_MAGIC) + 1)))[1]
