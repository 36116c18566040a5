"""The core wording of an action: frames of emphasis dropped, the pledge kept."""

from __future__ import annotations

from corridor.pledges.text import content_words, core_action
from corridor.pledges.vectors import action_key


def test_emphasis_frames_are_dropped() -> None:
    assert core_action("leave no stone unturned to keep the visiting doctors safe") == \
        "keep the visiting doctors safe"
    assert core_action("spare no effort in shielding foreign crews at the dam") == \
        "shielding foreign crews at the dam"
    assert core_action("take all necessary steps to protect the pipeline staff") == \
        "protect the pipeline staff"
    assert core_action("make every possible effort to attract new investors") == \
        "attract new investors"
    assert core_action("continue to spare no effort to guard the convoy route") == \
        "guard the convoy route"
    # the attribution goes too, as in clean_action
    assert core_action("do its utmost to finish the canal lining, the minister said") == \
        "finish the canal lining"


def test_plain_actions_are_unchanged() -> None:
    for a in ("ensure the security of foreign engineers", "take part in the trade fair",
              "leave the tariff unchanged", "make Gwadar a hub"):
        assert core_action(a) == a
    # a frame with nothing after it is kept whole
    assert core_action("spare no effort to help") == "spare no effort to help"
    # the stored key of an action without a frame is what it was
    assert action_key("ensure the security of foreign engineers") == \
        action_key("ensure the security of foreign engineers, the minister said")


def test_frame_words_do_not_count_as_content() -> None:
    words = content_words(core_action("leave no stone unturned to keep the crews safe"))
    assert "stone" not in words and "unturn" not in words
