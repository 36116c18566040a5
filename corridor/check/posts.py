"""A claim as it circulates, read as the statement it makes.

Claims are pasted from social posts and headlines: "BREAKING: ...", "RT @desk:
...", flags and emoji, a run of hashtags at the end. None of that is part of
what the claim says, and the judge, trained on plain sentences, reads it as
words the evidence does not have (a post's "BREAKING:" alone turned a support
at p 0.91 into a contradiction at p 0.69). ``as_read`` takes it off; attribution
and hedges ("Reports:", "says FM Qin Gang", "may") are the claim's and stay.
"""

from __future__ import annotations

import re

__all__ = ["as_read"]

#: pictographs, dingbats, flags (regional indicators), keycaps, joiners and variation
#: selectors: emoji as a post writes them
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0E\uFE0F\u200D\u20E3"
    "\U000E0020-\U000E007F]+"
)
#: a post's urgency label before its statement ("BREAKING:", "JUST IN -", "WATCH |")
_LABEL = re.compile(
    r"^(?:(?:breaking(?:\s+news)?|just\s+in|exclusive|update[d]?|urgent|developing|flash|"
    r"alert|watch|video|live|new)\s*[:|\u2013\u2014-]\s*)+",
    re.IGNORECASE,
)
#: a retweet's or reply's opening handle ("RT @desk:", "@desk")
_HANDLE = re.compile(r"^(?:RT\s+)?(?:@\w+[:,]?\s+)+")
#: hashtags closing a post ("... in Beijing #CPEC #Pakistan")
_TRAILING_TAGS = re.compile(r"(?:\s+#\w+)+\s*$")
#: a hashtag inside the sentence keeps its word ("#CPEC projects" -> "CPEC projects")
_TAG = re.compile(r"(?<![\w&])#(?=\w)")


def as_read(claim: str) -> str:
    """``claim`` without what a post adds to a statement: emoji and flags, an opening
    handle or urgency label, closing hashtags, the "#" of a tag inside it. A claim that
    is nothing but these is returned as given (there is no statement to read)."""
    text = _EMOJI.sub(" ", claim)
    text = " ".join(text.split())
    text = _HANDLE.sub("", text)
    text = _LABEL.sub("", text)
    text = _TRAILING_TAGS.sub("", text)
    text = _TAG.sub("", text)
    text = " ".join(text.split()).strip()
    return text if re.search(r"\w", text) else " ".join(claim.split())
