"""Dates in a sentence, resolved against the publication date, with their precision.

"Jan. 4" / "January 4th" / "3 May" -> day; "in November" / "last June" -> month (the most
recent one not after publication); "on Sunday" / "Tuesday's" -> the most recent such day;
"yesterday", "today"; "in 2014" -> year. Without a publication date only dates that carry
their year resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import dateparser

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
YEAR = r"(?P<year>(?:19|20)\d{2})"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
MONTH_CUE = r"[Ll]ast|[Tt]his|[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-?|[Bb]y|[Ss]ince"
WEEKDAY_CUE = r"on|last|this|in|since|late|early"
WEEKDAY = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
RELATIVE = (
    r"yesterday|today|tonight|this morning|this evening|earlier today|overnight|last night|"
    r"(?:over|at|during)\s+the\s+weekend|last\s+weekend"
)
PATTERNS = [
    ("day", re.compile(rf"\b{MONTH}\s+{DAY}\b(?:,?\s+{YEAR}\b)?")),
    ("day", re.compile(rf"\b{DAY}\s+{MONTH}(?:,?\s+{YEAR}\b)?")),
    ("month", re.compile(rf"\b(?P<rel>{MONTH_CUE})\s+{MONTH}(?:\s+{YEAR})?\b")),
    ("month", re.compile(rf"\b{MONTH}\s+{YEAR}\b")),
    ("weekday", re.compile(rf"\b(?P<rel>{WEEKDAY_CUE})?\s*(?P<wd>{WEEKDAY})(?:'s|\u2019s)?\b")),
    ("relative", re.compile(rf"\b(?P<rel>{RELATIVE})\b", re.I)),
    ("period", re.compile(r"\b(?P<rel>(?:earlier\s+|later\s+)?this\s+month|last\s+month|"
                          r"this\s+year|last\s+year|earlier\s+this\s+year)\b", re.I)),
    ("year", re.compile(rf"\b(?P<rel>in|since|by|during)\s+(?:early\s+|late\s+|mid-?)?{YEAR}\b")),
]  # fmt: skip


SINCE_BEFORE = re.compile(r"\bsince\b[^,.;]{0,45}$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str  # day, month, year
    since: bool = False  # "since 2014": a starting point, not when something happened


def _month(token: str) -> int:
    return MONTHS[token[:3].lower()]


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


DATE_CUE = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|tonight|morning|evening|"
    r"overnight|night|weekend|month|year",
    re.IGNORECASE,
)


def find_dates(sentence: str, published: date | None) -> list[DateMention]:
    if not DATE_CUE.search(sentence):
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _resolve(kind, m, published)
            if mention is not None and SINCE_BEFORE.search(
                sentence[max(0, m.start() - 50) : m.start()]
            ):
                mention = replace(mention, since=True)  # "since the war began in October"
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def _resolve(kind: str, m: re.Match[str], published: date | None) -> DateMention | None:
    groups = m.groupdict()
    rel = (groups.get("rel") or "").lower()
    since = rel == "since"
    year = int(groups["year"]) if groups.get("year") else None
    if kind == "day":
        month = _month(groups["month"])
        day = int(groups["day"])
        if year is None:
            if published is None:
                return None
            year = published.year
            value = _safe(year, month, day)
            if value is not None and value > published + timedelta(days=2):
                value = _safe(year - 1, month, day)
        else:
            value = _safe(year, month, day)
        if value is None:
            return None
        return DateMention(m.start(), m.end(), value, "day", since)
    if kind == "month":
        month = _month(groups["month"])
        if groups["month"].lower().startswith("may") and rel == "" and year is None:
            return None
        if year is None:
            if published is None:
                return None
            year = published.year
            if month > published.month or (rel == "last" and month == published.month):
                year -= 1
        return DateMention(m.start(), m.end(), date(year, month, 1), "month", since)
    if kind == "weekday":
        if published is None:
            return None
        target = WEEKDAYS.index(groups["wd"].lower())
        back = (published.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        return DateMention(m.start(), m.end(), published - timedelta(days=back), "day", since)
    if kind == "relative":
        if published is None:
            return None
        if "weekend" in rel:
            # the weekend just gone, dated by its Sunday
            back = (published.weekday() - 6) % 7 or 7
            return DateMention(m.start(), m.end(), published - timedelta(days=back), "day")
        back = 1 if rel in ("yesterday", "last night") else 0
        return DateMention(m.start(), m.end(), published - timedelta(days=back), "day")
    if kind == "period":
        if published is None:
            return None
        if rel.endswith("month"):
            first = published.replace(day=1)
            if rel.startswith("last"):
                first = (first - timedelta(days=1)).replace(day=1)
            return DateMention(m.start(), m.end(), first, "month")
        year_value = published.year - (1 if rel.startswith("last") else 0)
        return DateMention(m.start(), m.end(), date(year_value, 1, 1), "year")
    if kind == "year" and year is not None:
        return DateMention(m.start(), m.end(), date(year, 1, 1), "year", since)
    return None


def nearest_date(dates: list[DateMention], position: int, reach: int = 140) -> DateMention | None:
    """The date told nearest to a trigger, if one is told within `reach` characters."""
    usable = [
        d
        for d in dates
        if not d.since and min(abs(d.start - position), abs(d.end - position)) <= reach
    ]
    if not usable:
        return None
    return min(usable, key=lambda d: abs((d.start + d.end) / 2 - position))


DURATION = re.compile(
    r"\b(?P<num>\d+|a|an|one|two|three|four|five|six|seven|ten|twenty-four|forty-eight|"
    r"seventy-two)[- ](?P<unit>hours?|days?|weeks?|months?)\b",
    re.IGNORECASE,
)
DURATION_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "ten": 10, "twenty-four": 24, "forty-eight": 48, "seventy-two": 72,
}  # fmt: skip


def deadline_after(sentence: str, published: date | None) -> datetime | None:
    """When an ultimatum runs out: "48 hours" counted from the publication date."""
    if published is None:
        return None
    m = DURATION.search(sentence)
    if not m:
        return _deadline_by_date(sentence, published)
    raw = m.group("num").lower()
    amount = int(raw) if raw.isdigit() else DURATION_WORDS[raw]
    unit = m.group("unit").lower().rstrip("s")
    hours = amount * {"hour": 1, "day": 24, "week": 24 * 7, "month": 24 * 30}[unit]
    start = datetime.combine(published, time(0, 0), tzinfo=UTC)
    return start + timedelta(hours=hours)


END_OF = re.compile(
    rf"\b(?:until|by|before)\s+the\s+end\s+of\s+(?:the\s+(?P<this>month)|{MONTH})", re.I
)
BY_DATE = re.compile(rf"\b(?:until|by|before)\s+{MONTH}\s+{DAY}\b")


def _deadline_by_date(sentence: str, published: date) -> datetime | None:
    """ "until the end of the month", "by the end of February", "by March 1"."""
    m = END_OF.search(sentence)
    if m:
        month = published.month if m.group("this") else _month(m.group("month"))
        year = published.year + (1 if month < published.month else 0)
        first_next = date(year + month // 12, month % 12 + 1, 1)
        return datetime.combine(first_next, time(0, 0), tzinfo=UTC)
    m = BY_DATE.search(sentence)
    if m:
        month, day = _month(m.group("month")), int(m.group("day"))
        year = published.year + (1 if month < published.month else 0)
        when = _safe(year, month, day)
        if when:
            return datetime.combine(when + timedelta(days=1), time(0, 0), tzinfo=UTC)
    return None


def parse_publication(value: str | None) -> date | None:
    """A publication date as feeds write it ("2020-01-01", "Wed, 01 Jan 2020 10:00 GMT")."""
    if not value:
        return None
    value = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    parsed = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


DATELINES = [
    re.compile(rf"^\s*{DAY}\s+{MONTH},?\s+{YEAR}\s*$"),
    re.compile(rf"^\s*{MONTH}\s+{DAY},?\s+{YEAR}\s*$"),
]


def dateline(lines: list[str]) -> date | None:
    """The date standing alone on a line at the top ("01 January, 2020"); of several
    (a page date, then the story's), the last one before the story begins."""
    found = None
    for line in lines[:15]:
        for pattern in DATELINES:
            m = pattern.match(line)
            if not m:
                continue
            value = _safe(int(m.group("year")), _month(m.group("month")), int(m.group("day")))
            if value:
                found = value
    return found
