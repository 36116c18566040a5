"""A claim pasted from a post is read as the statement it makes."""

from __future__ import annotations

from corridor.check.posts import as_read


def test_labels_handles_emoji_and_closing_hashtags_are_not_the_statement() -> None:
    assert as_read("BREAKING: Ministers sign a port deal") == "Ministers sign a port deal"
    assert as_read("RT @desk: JUST IN \u2014 Ministers sign a port deal \U0001F6A2 #ports #trade"
                   ) == "Ministers sign a port deal"
    assert as_read("Envoys pledge closer ties \U0001F1F5\U0001F1F0\U0001F91D\U0001F1E8\U0001F1F3"
                   ) == "Envoys pledge closer ties"
    # a tag inside the sentence keeps its word
    assert as_read("#CPEC projects get new funding") == "CPEC projects get new funding"


def test_attribution_hedges_and_other_scripts_are_the_claims_own() -> None:
    for claim in ("Reports: the ministry may delay the port deal",
                  "Port deal to be signed in May, says minister",
                  "Temperatures reached 40\u00b0C at the port",
                  "\u65b0\u95fb\uff1a\u4e24\u56fd\u7b7e\u7f72\u6e2f\u53e3\u534f\u8bae",
                  "New port opens in the north"):
        assert as_read(claim) == claim
    # nothing but a post's trimmings: there is no statement to take it from
    assert as_read("\U0001F1F5\U0001F1F0 \U0001F1E8\U0001F1F3") == (
        "\U0001F1F5\U0001F1F0 \U0001F1E8\U0001F1F3")


def test_a_headlines_verbs_are_read_as_plain_words() -> None:
    assert as_read("Harbour board slams port fees") == "Harbour board criticises port fees"
    assert as_read("Ports, ferries nix safety accord") == "Ports, ferries reject safety accord"
    assert as_read("Council Mulls New Quay") == "Council Considers New Quay"
    # words that are ordinary English elsewhere stay
    assert as_read("The hail storm hit the quay") == "The hail storm hit the quay"
    assert as_read("The envoy came back to the port") == "The envoy came back to the port"
