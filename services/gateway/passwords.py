"""The password policy, the same for a registration, a password change and an account made by
staff: at least 10 characters, and not easy to guess (zxcvbn: common passwords, words, keyboard
patterns, dates, repeats, and the person's own name and email) — what ANSSI and NIST SP 800-63B
ask of a password that is the only factor. Each refusal is a French sentence for the field."""

import re

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn's score 3: about 10^8 guesses or more, « safely unguessable » for an online attack and a
# slow hash (argon2) offline. Score 2 lets through e.g. "soleil1234" and "azertyuiop1".
ENOUGH_SCORE = 3
# zxcvbn's time grows quickly with the length; its first 100 characters are far beyond any guess.
CHECKED_CHARACTERS = 100

TOO_SHORT = f"Le mot de passe doit compter au moins {MIN_LENGTH} caractères."
TOO_LONG = f"Le mot de passe doit compter au plus {MAX_LENGTH} caractères."
PERSONAL = "Ce mot de passe reprend votre nom ou votre adresse e-mail : choisissez-en un qui ne vous désigne pas."
GUESSABLE = (
    "Ce mot de passe est trop facile à deviner (mot de passe courant, suite de touches ou de chiffres, "
    "répétition) : allongez-le, par exemple avec plusieurs mots sans lien entre eux."
)


def length_problem(password):
    """The sentence that refuses a password of the wrong length, or None."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    return None


def problem(password, personal=()):
    """The sentence that refuses `password`, or None when it may be used. `personal`: the person's
    email and names (personal_words), which the password must not rest on: what is left once they
    are taken out must pass the policy on its own ("dupont-camille" and "linaroux2004" do not)."""
    found = length_problem(password)
    if found:
        return found
    words = sorted({word.lower() for word in personal if word and len(word) >= 3}, key=len, reverse=True)
    rest = re.sub("|".join(re.escape(word) for word in words), "", password, flags=re.IGNORECASE) if words else password
    if rest != password and (len(rest) < MIN_LENGTH or not _hard_to_guess(rest, words)):
        return PERSONAL
    verdict = zxcvbn(password[:CHECKED_CHARACTERS], user_inputs=words)
    if verdict["score"] >= ENOUGH_SCORE:
        return None
    if any(match.get("dictionary_name") == "user_inputs" for match in verdict["sequence"]):
        return PERSONAL  # e.g. the name written in l33t ("c4mille")
    return GUESSABLE


def _hard_to_guess(password, personal):
    return zxcvbn(password[:CHECKED_CHARACTERS], user_inputs=personal)["score"] >= ENOUGH_SCORE


def personal_words(email="", *names):
    """The words a password must not rest on: the email, its local part and that part's pieces
    ("camille.dupont" -> camille, dupont), and the names given."""
    email = (email or "").strip().lower()
    local = email.partition("@")[0]
    pieces = [piece for piece in re.split(r"[._+\-]", local) if len(piece) > 2]
    return [email, local, *pieces, *[name.strip() for name in names if name and name.strip()]]
