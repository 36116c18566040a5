"""Clean article text out of HTML pages and already-scraped plain text.

``clean_html`` runs trafilatura (main-text extraction, metadata, htmldate with
no guessing) on markup that has first been defused: DOCTYPE internal subsets
and entity declarations are removed, and lxml's HTML parser never runs
scripts or expands entities.

``clean_text`` removes the page furniture that scrapers leave in plain text
while keeping every body paragraph whole:

* a leading ``date YYYY-MM-DD`` prefix and bare date / "Published ..." lines
  near the top (their date becomes ``Cleaned.date``), a "By ..." byline;
* sidebar lists of other headlines, each with a "- 7 hours ago" stamp line
  before or after it;
* share / subscribe / follow-us / read-more / "Also read" / copyright /
  advertisement lines and section headers such as "Latest News";
* the headline: a short first line becomes ``Cleaned.title`` and leaves the
  body, as do later copies of it. When the first line is a dateline followed
  by the headline ("BEIJING, NOV 11 /DNA/ – Envoy meets minister"), the
  headline becomes the title and the dateline is read as below.

In both, the body then loses what is metadata, not story:

* the dateline and source label opening it ("Islamabad:", "BEIJING, NOV 11
  /DNA/ –", "ISLAMABAD, Feb 6 (APP):", "BEIJING (Reuters) -", or an agency
  alone, "(Reuters) -"): its place, agency and date go to
  ``Cleaned.dateline_place``, ``dateline_source``, ``dateline_date`` (ISO,
  when it carries a year) and ``dateline_phrase`` (the date as written);
* a standfirst repeated by the first paragraph (the same words, or the first
  words of it, with or without its dateline) is kept once, in the paragraph;
* section headings: a short line that starts with a capital and ends with no
  punctuation, standing between two paragraphs that end sentences ("Related
  stories", "Background"). Runs of short lines (lists) are kept.

``Cleaned.text`` is the body only (no title), paragraphs separated by one
blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import trafilatura

from ..errors import EmptyInput, MalformedInput
from .meta import Dateline, find_dateline, parse_date

__all__ = ["Cleaned", "clean_html", "clean_text"]


@dataclass
class Cleaned:
    """Clean body text and the metadata found on the way (``date`` is ISO)."""

    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    author: str | None = None
    dateline_place: str | None = None
    dateline_source: str | None = None
    dateline_date: str | None = None
    dateline_phrase: str | None = None


# ---------------------------------------------------------------------------
# HTML

_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_DECLARATION = re.compile(r"<!(?:ENTITY|ELEMENT|ATTLIST|NOTATION)\b[^>]*>", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DEFUSE_HEAD = 65_536
_HAS_DOCUMENT = re.compile(r"<(?:html|body)\b", re.IGNORECASE)


def clean_html(html: str, url: str | None = None) -> Cleaned:
    """Main text and metadata of an HTML page.

    Raises EmptyInput when no article text is left, MalformedInput when the
    markup cannot be parsed at all.
    """
    markup = _defuse(html)
    extracted = _extract(markup, url)
    text = _html_paragraphs(extracted.get("text") or "")
    if not text:
        text = _html_paragraphs(_baseline(markup))
    title = _clean_field(extracted.get("title"))
    text = _drop_leading_title(text, title)
    paragraphs, label = _body_and_label(text.split("\n\n") if text else [], None)
    text = "\n\n".join(paragraphs)
    if not text:
        raise EmptyInput("no article text found in the HTML")
    return _with_label(
        Cleaned(
            text=text,
            title=title,
            date=parse_date(str(extracted.get("date") or "")),
            sitename=_clean_field(extracted.get("sitename")),
            author=_clean_field(extracted.get("author")),
        ),
        label,
    )


def _defuse(html: str) -> str:
    """Drop what could make a parser expand entities; wrap bare fragments.

    A DOCTYPE (and so an internal subset) may only open a document, so only the
    head is searched: the cost stays linear whatever the input.
    """
    markup = _XML_DECL.sub("", html, count=1)
    head = markup[:_DEFUSE_HEAD]
    if "<!" in head:
        head = _DECLARATION.sub("", _DOCTYPE_SUBSET.sub("", head, count=1))
        markup = head + markup[_DEFUSE_HEAD:]
    if not _HAS_DOCUMENT.search(markup[:4096]):
        markup = f"<html><body><div>{markup}</div></body></html>"
    return markup


def _extract(markup: str, url: str | None) -> dict[str, Any]:
    try:
        document = trafilatura.bare_extraction(
            markup,
            url=url,
            fast=True,  # no readability/jusText comparison: better F1 on the benchmark, faster
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            deduplicate=False,
            date_extraction_params={
                "extensive_search": False,  # no guessing from copyright lines or free text
                "original_date": True,
                "max_date": date.today().isoformat(),
            },
        )
    except Exception:  # trafilatura on pathological markup: fall back to the baseline
        return {}
    if document is None:
        return {}
    if isinstance(document, dict):
        return document
    result: dict[str, Any] = document.as_dict()
    return result


def _baseline(markup: str) -> str:
    try:
        _tree, text, _length = trafilatura.baseline(markup)
    except Exception as exc:
        raise MalformedInput(f"the HTML cannot be parsed: {exc}") from exc
    return str(text or "")


def _html_paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _drop_leading_title(text: str, title: str | None) -> str:
    if not title:
        return text
    first, _, rest = text.partition("\n\n")
    return rest if _norm(first) == _norm(title) and rest else text


def _clean_field(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


# ---------------------------------------------------------------------------
# Plain text


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TITLE_MAX_WORDS = 25
_BODY_MIN_WORDS = 25
_HEAD_LINES = 4  # how many leading lines may hold a date or a byline

_DATE_PREFIX = re.compile(r"^\s*date\s*[:\-]?\s*(\d{4}-\d{2}-\d{2})\b[\s|:\-–—]*", re.IGNORECASE)
_UNITS = (
    r"(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?"
    r"|mo|mos|months?|y|yrs?|years?)"
)
_AGO = rf"(?:(?:\d+|an?|one)\s*{_UNITS}\.?\s+ago|just now|yesterday)"
_STAMP = re.compile(
    rf"^[\s\-–—•·|]*(?:(?:updated|posted|published)\s+)?{_AGO}[\s|]*$", re.IGNORECASE
)
_INLINE_STAMP = re.compile(rf"^.{{3,250}}?\s[-–—|•·]\s*{_AGO}\s*$", re.IGNORECASE)
_SOCIAL = _wordset(
    """share shares this article story post page news on via tweet email e mail print whatsapp
    facebook twitter x linkedin telegram pinterest reddit copy link messenger google sms
    comments comment save"""
)
_SOCIAL_ALONE = _wordset(
    "share tweet email print whatsapp facebook twitter linkedin telegram pinterest reddit"
)
_FURNITURE: tuple[tuple[re.Pattern[str], int], ...] = (
    # (pattern, longest line in words it may remove)
    (re.compile(r"^share\s+(?:this|the|on|via)\b", re.I), 12),
    (
        re.compile(
            r"^(?:subscribe|sign\s*up|join\s+(?:us|our)|get\s+(?:the\s+latest|our))\b", re.I
        ),
        15,
    ),
    (re.compile(r"^(?:follow|like)\s+us\b", re.I), 15),
    (
        re.compile(
            r"^follow\s+(?:\S+\s+){0,3}on\s+(?:twitter|facebook|instagram|x|youtube|tiktok"
            r"|whatsapp|telegram|google\s+news|linkedin)\b",
            re.I,
        ),
        15,
    ),
    (
        re.compile(
            r"^(?:also\s+read|read\s+also|read\s+more|see\s+also|related|recommended|must\s+read"
            r"|don'?t\s+miss|also\s+see|more\s+on\s+this|watch|listen)\s*(?:[:|»›>\-–—]|$)",
            re.I,
        ),
        30,
    ),
    (re.compile(r"^(?:©|\(c\)|copyright\b)", re.I), 30),
    (re.compile(r"\ball rights reserved\b", re.I), 30),
    (re.compile(r"^(?:tags?|topics?|filed\s+under|categor(?:y|ies)|keywords)\s*:", re.I), 30),
    (re.compile(r"^(?:leave|post|add)\s+a\s+(?:comment|reply)\b|^\d*\s*comments?$", re.I), 8),
    (
        re.compile(
            r"^(?:advertisement|advertisment|sponsored(?:\s+content)?|scroll\s+to\s+continue.*"
            r"|continue\s+reading.*|click\s+here\b.*|print\s+this\s+(?:article|page))$",
            re.I,
        ),
        10,
    ),
    (
        re.compile(
            r"^(?:latest|related|more|top|trending|popular|recommended|editor'?s\s+picks?"
            r"|most\s+(?:read|popular|viewed|shared|commented))"
            r"(?:\s+(?:news|stories|articles|posts|videos|headlines|now|for\s+you|from\s+\S+))?$",
            re.I,
        ),
        5,
    ),
)
_BYLINE = re.compile(r"^[Bb][Yy]:?\s+([A-Z][\w.'’\-]*(?:\s+[A-Z&][\w.'’\-]*){0,4})$")
_DATE_WORDS = re.compile(
    r"(?i)\b(?:published|posted|updated|last|date|on|at|am|pm|pkt|gmt|utc|pst|est|bst|cst"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july"
    r"|aug|august|sep|sept|september|oct|october|nov|november|dec|december"
    r"|\d+(?:st|nd|rd|th)?)\b"
)
_DATE_LABEL = re.compile(r"(?i)^(?:published|posted|updated|last\s+updated|date)\s*(?:on)?\s*:?\s*")


def clean_text(text: str) -> Cleaned:
    """Strip page furniture from already-scraped plain text (see module doc)."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines, found_date = _take_date_prefix(lines)
    lines = ["" if _is_furniture(line) else line for line in lines]
    lines = _drop_sidebars(lines)
    lines, head_date, author = _take_head_lines(lines)
    paragraphs = _paragraphs(lines)
    title, paragraphs, label = _take_title(paragraphs)
    paragraphs = _drop_repeats(paragraphs, title)
    paragraphs, label = _body_and_label(paragraphs, label)
    body = "\n\n".join(paragraphs)
    if not body.strip():
        raise EmptyInput("no article text left after removing page furniture")
    cleaned = Cleaned(text=body, title=title, date=found_date or head_date, author=author)
    return _with_label(cleaned, label)


def _words(line: str) -> int:
    return len(line.split())


def _is_body(line: str) -> bool:
    """A body paragraph: long, with a sentence ending in a period."""
    return _words(line) >= _BODY_MIN_WORDS and (line.endswith(".") or ". " in line)


def _is_headline(line: str) -> bool:
    """Short, and not a sentence that ends with a period ("..." is allowed)."""
    if not line or _words(line) > _TITLE_MAX_WORDS or len(line) > 250 or _is_body(line):
        return False
    return not (line.endswith(".") and not line.endswith("..."))


def _take_date_prefix(lines: list[str]) -> tuple[list[str], str | None]:
    """A leading ``date YYYY-MM-DD`` (alone or before the first line's text)."""
    for index, line in enumerate(lines):
        if not line:
            continue
        match = _DATE_PREFIX.match(line)
        if match is None:
            return lines, None
        iso = parse_date(match.group(1))
        return [*lines[:index], line[match.end() :].strip(), *lines[index + 1 :]], iso
    return lines, None


def _is_furniture(line: str) -> bool:
    if not line or _is_body(line):
        return False
    if _INLINE_STAMP.match(line):
        return True
    words = re.findall(r"[a-z]+", line.lower())
    if words and all(word in _SOCIAL for word in words):
        return len(words) > 1 or words[0] in _SOCIAL_ALONE
    count = _words(line)
    return any(pattern.search(line) and count <= limit for pattern, limit in _FURNITURE)


def _drop_sidebars(lines: list[str]) -> list[str]:
    """Remove "- 7 hours ago" stamps and the other-headline lines paired with them."""
    kept = [i for i, line in enumerate(lines) if line]
    stamps = [pos for pos, i in enumerate(kept) if _STAMP.match(lines[i])]
    drop: set[int] = {kept[pos] for pos in stamps}
    for run in _stamp_runs(stamps, kept, lines):
        for pos in _sidebar_headlines(run, kept, lines, stamps):
            if pos > 0:  # the first line of the page is its own headline, never a sidebar
                drop.add(kept[pos])
    return ["" if i in drop else line for i, line in enumerate(lines)]


def _stamp_runs(stamps: list[int], kept: list[int], lines: list[str]) -> list[list[int]]:
    """Group stamps (positions among non-blank lines) that alternate with headlines."""
    runs: list[list[int]] = []
    for pos in stamps:
        if runs:
            last = runs[-1][-1]
            gap = pos - last
            if gap == 1 or (gap == 2 and _is_headline(lines[kept[last + 1]])):
                runs[-1].append(pos)
                continue
        runs.append([pos])
    return runs


def _sidebar_headlines(
    run: list[int], kept: list[int], lines: list[str], stamps: list[int]
) -> list[int]:
    """Positions of the headline lines that belong to a run of stamps."""
    stamp_set = set(stamps)
    inner = [pos for pos in range(run[0] + 1, run[-1]) if pos not in stamp_set]

    def headline_at(pos: int) -> bool:
        return 0 <= pos < len(kept) and pos not in stamp_set and _is_headline(lines[kept[pos]])

    before, after = run[0] - 1, run[-1] + 1
    if headline_at(before) and (not headline_at(after) or before > 0):
        return [before, *inner]
    if headline_at(after):
        return [*inner, after]
    return inner


def _take_head_lines(lines: list[str]) -> tuple[list[str], str | None, str | None]:
    """Bare date lines ("February, 22, 2024") and a byline among the first lines."""
    found_date: str | None = None
    author: str | None = None
    seen = 0
    out = list(lines)
    for index, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > _HEAD_LINES:
            break
        iso = _date_line(line)
        if iso is not None:
            found_date = found_date or iso
            out[index] = ""
            continue
        byline = _BYLINE.match(line)
        if byline and author is None:
            author = byline.group(1)
            out[index] = ""
    return out, found_date, author


def _date_line(line: str) -> str | None:
    """The date of a line that holds nothing but a date (and a label such as "Updated")."""
    if _words(line) > 8 or not re.search(r"\d{4}", line):
        return None
    if re.search(
        r"\w", _DATE_WORDS.sub(" ", line).replace("年", "").replace("月", "").replace("日", "")
    ):
        return None
    candidate = _DATE_LABEL.sub("", line)
    return parse_date(candidate) or parse_date(re.split(r"\s(?:at\s)?\d{1,2}:\d{2}", candidate)[0])


def _paragraphs(lines: list[str]) -> list[str]:
    """One paragraph per line, except hard-wrapped blocks, which are re-joined."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(" ".join(line.split()) if "  " in line else line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[str] = []
    for block in blocks:
        if _hard_wrapped(block):
            paragraphs.append(" ".join(block))
            continue
        for line in block:
            if paragraphs and paragraphs[-1] is not None and _continues(paragraphs[-1], line):
                paragraphs[-1] = f"{paragraphs[-1]} {line}"
            else:
                paragraphs.append(line)
        paragraphs.append("")  # block boundary: never join across a blank line
    return [p for p in paragraphs if p]


_OPEN_END = frozenset((
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "with", "by", "and", "or",
    "but", "as", "than", "that", "which", "who", "whose", "into", "onto", "over", "under",
    "between", "among", "about", "during", "after", "before", "since", "until", "upon", "via",
    "per", "its", "their", "his", "her", "our", "your", "this", "these", "those",
))


def _continues(prev: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence that ``prev`` broke off (a hard wrap)."""
    if not prev or prev.endswith((".", "!", "?", '"', "”", ":", "۔", "。", "！", "？")):
        return False
    last = prev.rsplit(None, 1)[-1].lower()
    return line[:1].islower() or prev.endswith((",", ";", "-", "–")) or last in _OPEN_END


def _hard_wrapped(block: list[str]) -> bool:
    """Lines of similar width (40-100 chars), most not ending a sentence."""
    if len(block) < 3:
        return False
    inner = block[:-1]
    widths = [len(line) for line in inner]
    if min(widths) < 40 or max(widths) > 100 or max(widths) - min(widths) > 30:
        return False
    open_ended = sum(1 for line in inner if not line.endswith((".", "!", "?", '"', "”", ":")))
    return open_ended * 2 > len(inner)


def _take_title(paragraphs: list[str]) -> tuple[str | None, list[str], Dateline | None]:
    """The headline (and the dateline before it on the same line, if any)."""
    if len(paragraphs) < 2:
        return None, paragraphs, None
    first, rest = paragraphs[0], paragraphs[1:]
    dateline = find_dateline(first)
    if dateline is not None:
        headline = first[dateline.end :].strip()
        if not _is_headline(headline):
            return None, paragraphs, None
        return headline, rest, dateline
    if _is_headline(first):
        return first, rest, None
    return None, paragraphs, None


def _drop_repeats(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop copies of the title and a paragraph repeated right after itself."""
    out: list[str] = []
    for paragraph in paragraphs:
        key = _norm(paragraph)
        if (title and key == _norm(title)) or (out and key == _norm(out[-1])):
            continue
        out.append(paragraph)
    return out


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


# ---------------------------------------------------------------------------
# Body: dateline and source label, repeated standfirst, section headings

_STANDFIRST_MAX_WORDS = 80  # a lead paragraph standing before the story's dateline
_HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 80
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ")", "…", "۔", "。", "！", "？")
_HEADING_END = (*_SENTENCE_END, ":", ";", ",", "-", "–", "—", "|", "]")
_AGENCY_LABEL = re.compile(
    r"^\s*(?:\((?P<paren>[A-Z][^()\n]{1,39}?)\)|/(?P<slash>[A-Z][^/\n]{1,39}?)/)"
    r"\s*(?::|--|[-–—])\s+(?=\S)"
)
_TOKENS = re.compile(r"\w+")


def _body_and_label(
    paragraphs: list[str], label: Dateline | None
) -> tuple[list[str], Dateline | None]:
    """The body without its opening label, repeated standfirst and headings; the label."""
    paragraphs = [p for p in paragraphs if p.strip()]
    paragraphs = _drop_standfirst(paragraphs)
    paragraphs, found = _take_label(paragraphs)
    paragraphs = _drop_headings(paragraphs)
    return paragraphs, found or label


def _with_label(cleaned: Cleaned, label: Dateline | None) -> Cleaned:
    if label is not None:
        cleaned.dateline_place = label.place or None
        cleaned.dateline_source = label.source
        cleaned.dateline_date = label.date
        cleaned.dateline_phrase = label.date_phrase
    return cleaned


def split_label(paragraph: str) -> tuple[Dateline | None, str]:
    """A dateline or agency label opening ``paragraph``, and the rest of it.

    An agency alone ("(Reuters) - ...", "/DNA/: ...") is a label with no place.
    """
    dateline = find_dateline(paragraph)
    if dateline is not None:
        return dateline, paragraph[dateline.end :].strip()
    m = _AGENCY_LABEL.match(paragraph)
    if m is not None:
        source = (m.group("paren") or m.group("slash") or "").strip()
        if len(source.split()) <= 4:
            return Dateline("", m.start(), m.end(), source, None), paragraph[m.end() :].strip()
    return None, paragraph


def _take_label(paragraphs: list[str]) -> tuple[list[str], Dateline | None]:
    """Remove the label opening the body (or the paragraph after a short lead)."""
    for index in range(min(2, len(paragraphs))):
        if index == 1 and _words(paragraphs[0]) > _STANDFIRST_MAX_WORDS:
            break
        label, rest = split_label(paragraphs[index])
        if label is None:
            continue
        if rest:
            return [*paragraphs[:index], rest, *paragraphs[index + 1 :]], label
        if index + 1 < len(paragraphs):  # the label alone on its line
            return [*paragraphs[:index], *paragraphs[index + 1 :]], label
        break
    return paragraphs, None


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text.casefold())


def _drop_standfirst(paragraphs: list[str]) -> list[str]:
    """Drop a lead whose words open the next paragraph (or the one after a short line)."""
    if len(paragraphs) < 2 or _words(paragraphs[0]) > _STANDFIRST_MAX_WORDS:
        return paragraphs
    lead = _tokens(split_label(paragraphs[0])[1])
    if len(lead) < 5:
        return paragraphs
    for index in (1, 2):
        if index >= len(paragraphs):
            break
        if index == 2 and _words(paragraphs[1]) > _HEADING_MAX_WORDS:
            break  # only a caption or a byline may stand between the two
        body = _tokens(split_label(paragraphs[index])[1])
        if body[: len(lead)] == lead:
            return paragraphs[1:]
    return paragraphs


def _ends_sentence(paragraph: str) -> bool:
    return paragraph.rstrip().endswith(_SENTENCE_END)


def _is_heading(paragraph: str) -> bool:
    """Short, opening with a capital letter, ending with no punctuation."""
    text = paragraph.strip()
    if not text or len(text) > _HEADING_MAX_CHARS or _words(text) > _HEADING_MAX_WORDS:
        return False
    if not text[0].isupper() or text.endswith(_HEADING_END) or "|" in text:
        return False
    return any(c.isalpha() for c in text[-3:])


def _drop_headings(paragraphs: list[str]) -> list[str]:
    """Drop section headings standing alone between two paragraphs that end sentences."""
    out: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if 0 < index < len(paragraphs) - 1 and _is_heading(paragraph):
            before, after = paragraphs[index - 1], paragraphs[index + 1]
            if (
                _ends_sentence(before)
                and _ends_sentence(after)
                and _words(after) > _HEADING_MAX_WORDS
                and not _is_heading(before)
            ):
                continue
        out.append(paragraph)
    return out
