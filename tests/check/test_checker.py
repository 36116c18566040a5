"""Splitting a compound claim into the parts each article must settle."""

from __future__ import annotations

from corridor.check.checker import split_claim


def test_a_predicate_over_two_settings_is_checked_as_two_claims() -> None:
    assert split_claim("Port fees were discussed both at the March summit and at the "
                       "ministers' dinner.") == [
        "Port fees were discussed at the March summit.",
        "Port fees were discussed at the ministers' dinner."]
    # a joint subject is one claim ("both sides agreed" is not two agreements)
    assert split_claim("Both sides agreed to extend the port lease.") == [
        "Both sides agreed to extend the port lease."]
