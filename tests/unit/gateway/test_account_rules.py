"""The accounts' pure rules: a password reset link lasts one hour and serves once; a deactivated
account cannot sign in (services/gateway/account_rules.py, docs/accounts-rules.md)."""

from datetime import datetime, timedelta

from services.gateway import account_rules

ISSUED = datetime(2026, 12, 7, 9, 0)


def test_a_link_59_minutes_old_is_accepted():
    assert account_rules.link_refusal(ISSUED, None, ISSUED + timedelta(minutes=59)) is None


def test_a_link_61_minutes_old_is_refused_as_expired():
    assert account_rules.link_refusal(ISSUED, None, ISSUED + timedelta(minutes=61)) == account_rules.LINK_EXPIRED


def test_a_link_exactly_one_hour_old_is_refused():
    assert account_rules.link_refusal(ISSUED, None, ISSUED + timedelta(hours=1)) == account_rules.LINK_EXPIRED


def test_a_link_used_once_is_refused_the_second_time_even_within_the_hour():
    used = ISSUED + timedelta(minutes=5)
    assert account_rules.link_refusal(ISSUED, used, ISSUED + timedelta(minutes=6)) == account_rules.LINK_USED


def test_a_deactivated_account_is_refused_with_the_front_desk_sentence_and_an_active_one_is_not():
    assert account_rules.sign_in_refusal(ISSUED) == "Ce compte est désactivé : adressez-vous à l'accueil."
    assert account_rules.sign_in_refusal(None) is None
