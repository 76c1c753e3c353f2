"""Quantities with units for estimates: read "100M", "2 KB", "10 years", "3x" or "99.9%", and print them back.

Storage uses decimal (SI) units, as the course does: 1 KB = 10^3 bytes, 1 TB = 10^12 bytes; the binary units
(KiB, MiB, GiB, TiB) are accepted when written as such. A month is 30 days (2,592,000 s, "about 2.5M
seconds"); a year is 365 days, so 100M a day for 10 years is 365B.

Counts take the suffixes K, M, B (billion) and T, or the words thousand, million, billion and trillion; for a
size, ``B`` means bytes instead. Which reading applies depends on what the caller expects (see
:func:`parse_quantity`).
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Literal

__all__ = [
    "SECONDS_PER_DAY",
    "SECONDS_PER_MONTH",
    "SECONDS_PER_YEAR",
    "Dimension",
    "UnitError",
    "counted",
    "format_bandwidth",
    "format_bytes",
    "format_count",
    "format_duration",
    "format_percent",
    "parse_quantity",
    "parse_rate",
    "round_sig",
    "split_rate",
]

SECONDS_PER_DAY = 86_400
"""Seconds in a day."""
SECONDS_PER_MONTH = 30 * SECONDS_PER_DAY
"""Seconds in a 30-day month: 2,592,000, "about 2.5M"."""
SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY
"""Seconds in a 365-day year: 31,536,000."""

Dimension = Literal["count", "bytes", "duration", "ratio", "fraction"]
"""What a quantity measures: a count, a size in bytes, a time span in seconds, a multiplier or a share."""

_NAMES: dict[Dimension, str] = {
    "count": "a count",
    "bytes": "a size in bytes",
    "duration": "a time span",
    "ratio": "a multiplier",
    "fraction": "a share between 0 and 1",
}

_HINTS: dict[Dimension, str] = {
    "count": "write a count like '100M', '1.5 billion' or 250000",
    "bytes": "write a size like '500 B', '2 KB' or '1.5 GB'",
    "duration": "write a time span like '30 days', '10 years' or '5 min'",
    "ratio": "write a multiplier like '3x', '10:1' or 2.5",
    "fraction": "write a share like 0.2 or '20%'",
}

_COUNT: dict[str, float] = {
    "": 1,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}

_BYTES: dict[str, float] = {
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "kb": 1e3,
    "kilobyte": 1e3,
    "kilobytes": 1e3,
    "mb": 1e6,
    "megabyte": 1e6,
    "megabytes": 1e6,
    "gb": 1e9,
    "gigabyte": 1e9,
    "gigabytes": 1e9,
    "tb": 1e12,
    "terabyte": 1e12,
    "terabytes": 1e12,
    "pb": 1e15,
    "petabyte": 1e15,
    "petabytes": 1e15,
    "eb": 1e18,
    "kib": 2.0**10,
    "mib": 2.0**20,
    "gib": 2.0**30,
    "tib": 2.0**40,
    "pib": 2.0**50,
}

_DURATION: dict[str, float] = {
    "ms": 1e-3,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": SECONDS_PER_DAY,
    "day": SECONDS_PER_DAY,
    "days": SECONDS_PER_DAY,
    "w": 7 * SECONDS_PER_DAY,
    "wk": 7 * SECONDS_PER_DAY,
    "week": 7 * SECONDS_PER_DAY,
    "weeks": 7 * SECONDS_PER_DAY,
    "mo": SECONDS_PER_MONTH,
    "month": SECONDS_PER_MONTH,
    "months": SECONDS_PER_MONTH,
    "y": SECONDS_PER_YEAR,
    "yr": SECONDS_PER_YEAR,
    "yrs": SECONDS_PER_YEAR,
    "year": SECONDS_PER_YEAR,
    "years": SECONDS_PER_YEAR,
}

_NUMBER_RE = re.compile(
    r"^\s*(?P<num>[+-]?(?:\d[\d,_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<rest>.*?)\s*$", re.DOTALL
)
_RATIO_RE = re.compile(r"^\s*(?P<a>\d+(?:\.\d+)?)\s*:\s*(?P<b>\d+(?:\.\d+)?)\s*$")
_PERIOD_RE = re.compile(r"^(?P<head>.*?)\s*(?:/|\bper\b|\ba\b|\ban\b|\beach\b)\s*(?P<period>[a-z]+)$")


class UnitError(ValueError):
    """A value cannot be read as the quantity expected; ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _guess_dimension(unit: str) -> Dimension | None:
    if unit in _BYTES and unit != "b":
        return "bytes"
    if unit in _DURATION and unit not in ("m", "s"):
        return "duration"
    if unit in ("x", "×", "times"):
        return "ratio"
    if unit == "%":
        return "fraction"
    return None


def _did_you_mean(unit: str, table: dict[str, float]) -> str:
    close = difflib.get_close_matches(unit, [k for k in table if k], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? or " if close else ""


def _split(text: str) -> tuple[float, str]:
    match = _NUMBER_RE.match(text)
    if match is None:
        raise UnitError(f"cannot read {text!r} as a number", "write a number first, then an optional unit")
    number = float(match["num"].replace(",", "").replace("_", ""))
    return number, match["rest"].lower()


def _count_multiplier(rest: str, text: str) -> float:
    if "/" in rest or " per " in f" {rest} ":
        raise UnitError(f"{text!r} is a rate, but this value is a plain count", _HINTS["count"])
    words = rest.split()
    if not words:
        return 1.0
    head, nouns = words[0], words[1:]
    multiplier = _COUNT.get(head)
    if multiplier is None:
        if not (head.isalpha() and len(head) >= 3):
            nouns = [head]
        else:
            multiplier, nouns = 1.0, words  # a bare noun: "100 users", "500 tweets"
    for word in nouns:
        found = _guess_dimension(word)
        if found is not None:
            raise UnitError(f"{text!r} is {_NAMES[found]}, not a count", _HINTS["count"])
        if multiplier is None or difflib.get_close_matches(word, [k for k in _COUNT if len(k) > 3], cutoff=0.75):
            raise UnitError(
                f"unknown suffix {word!r} in {text!r}",
                _did_you_mean(word, _COUNT) + "counts take K, M, B (billion) or T, like '100M' or '1.5 billion'",
            )
    return multiplier if multiplier is not None else 1.0


def parse_quantity(value: str | float, *, expect: Dimension) -> float:
    """Read a value as a quantity of the expected dimension, in base units (bytes, seconds, a share 0-1).

    Args:
        value: A number or a string such as ``"100M"``, ``"2 KB"``, ``"10 years"``, ``"3x"`` or ``"99.9%"``.
        expect: The dimension the caller needs; it decides what ``B`` means (billion, or bytes for a size).

    Returns:
        The value in base units.

    Raises:
        UnitError: The value has an unknown suffix, the wrong dimension, or is out of range.

    >>> parse_quantity("100M", expect="count")
    100000000.0
    >>> parse_quantity("1.5 billion", expect="count")
    1500000000.0
    >>> parse_quantity("500 B", expect="bytes"), parse_quantity("2 KB", expect="bytes")
    (500.0, 2000.0)
    >>> parse_quantity("10 years", expect="duration") / 86_400
    3650.0
    >>> parse_quantity("3x", expect="ratio"), parse_quantity("10:1", expect="ratio")
    (3.0, 10.0)
    >>> round(parse_quantity("99.9%", expect="fraction"), 6)
    0.999
    >>> try:
    ...     parse_quantity("10 years", expect="bytes")
    ... except UnitError as error:
    ...     print(error)
    '10 years' is a time span, not a size in bytes
    """
    if isinstance(value, bool):
        raise UnitError(f"{value!r} is a yes/no value, not {_NAMES[expect]}", _HINTS[expect])
    text = str(value)
    if expect == "ratio":
        ratio = _RATIO_RE.match(text)
        if ratio is not None:
            below = float(ratio["b"])
            if below == 0:
                raise UnitError(f"{text!r} divides by zero", "write a ratio like '10:1'")
            return float(ratio["a"]) / below
    number, rest = (float(value), "") if isinstance(value, int | float) else _split(text)
    if not math.isfinite(number):
        raise UnitError(f"{text!r} is not a finite number", _HINTS[expect])
    if number < 0:
        raise UnitError(f"{text!r} is negative", _HINTS[expect])
    if expect == "count":
        return number * _count_multiplier(rest, text)
    if expect == "bytes":
        return number * _lookup(rest, text, _BYTES, expect, bare=1.0)
    if expect == "duration":
        if not rest:
            raise UnitError(f"{text!r} has no unit", "say which: '10 years', '30 days', '5 min', '200 ms'")
        return number * _lookup(rest, text, _DURATION, expect, bare=None)
    if expect == "ratio":
        table = {"": 1.0, "x": 1.0, "×": 1.0, "times": 1.0, "%": 0.01}
        return number * _lookup(rest, text, table, expect, bare=1.0)
    # fraction
    share = number / 100 if rest == "%" else number * _lookup(rest, text, {"": 1.0}, expect, bare=1.0)
    if share > 1:
        raise UnitError(f"{text!r} is more than 1", "write a share as 0.2 or '20%'")
    return share


def _lookup(rest: str, text: str, table: dict[str, float], expect: Dimension, *, bare: float | None) -> float:
    if not rest:
        if bare is None:
            raise UnitError(f"{text!r} has no unit", _HINTS[expect])
        return bare
    if rest in table:
        return table[rest]
    found = _guess_dimension(rest) or ("count" if rest in _COUNT else None)
    if found is not None and found != expect:
        raise UnitError(
            f"{text!r} is {_NAMES[found]}, not {_NAMES[expect]}",
            _HINTS[expect],
        )
    raise UnitError(f"unknown unit {rest!r} in {text!r}", f"{_did_you_mean(rest, table)}{_HINTS[expect]}")


def split_rate(value: str | float, *, per: float = SECONDS_PER_DAY) -> tuple[float, float]:
    """Read a count over time as its count and its period in seconds.

    Args:
        value: The count, with an optional period after ``/``, ``per`` or ``a``: ``"500M/month"``.
        per: The period in seconds a bare count is over; a day unless said otherwise.

    Returns:
        The count and the period in seconds.

    Raises:
        UnitError: The count or the period cannot be read.

    >>> split_rate("500M/month")
    (500000000.0, 2592000)
    >>> split_rate(1000, per=1)
    (1000.0, 1)
    """
    text = str(value)
    if isinstance(value, str):
        match = _PERIOD_RE.match(text.strip().lower())
        if match is not None and match["period"] in _DURATION:
            return parse_quantity(match["head"], expect="count"), _DURATION[match["period"]]
        if match is not None and _guess_dimension(match["period"]) is None:
            raise UnitError(
                f"unknown period {match['period']!r} in {text!r}",
                f"{_did_you_mean(match['period'], _DURATION)}write '/s', '/day', '/month' or '/year'",
            )
    return parse_quantity(value, expect="count"), per


def parse_rate(value: str | float, *, per: float = SECONDS_PER_DAY) -> float:
    """Read a count over time, like ``"100M"`` (per ``per`` seconds), ``"500M/month"`` or ``"400 per s"``.

    Args:
        value: The count, with an optional period after ``/``, ``per`` or ``a``.
        per: The period in seconds a bare count is over; a day unless said otherwise.

    Returns:
        Events per second.

    Raises:
        UnitError: The count or the period cannot be read.

    >>> round(parse_rate("100M"), 1)
    1157.4
    >>> round(parse_rate("500M/month"), 1)
    192.9
    >>> parse_rate("400 per second")
    400.0
    """
    count, period = split_rate(value, per=per)
    return count / period


def round_sig(value: float, digits: int = 3) -> float:
    """Round to significant digits, as estimates are quoted.

    >>> round_sig(1157.407), round_sig(11574.07), round_sig(0.0012345)
    (1160.0, 11600.0, 0.00123)
    """
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _plain(value: float) -> str:
    if value == int(value):  # whole numbers print in full: 1,825 days, 86,400 s
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) < 1000 else f"{value:,.0f}"


def counted(number: int, noun: str) -> str:
    """A number and its noun, in the plural unless it is one.

    >>> counted(1, "error"), counted(0, "note"), counted(2, "design")
    ('1 error', '0 notes', '2 designs')
    """
    return f"{number} {noun}{'' if number == 1 else 's'}"


def format_count(value: float, *, digits: int = 3) -> str:
    """A count to three significant digits (whole numbers below a million in full): commas, then M, B and T.

    >>> format_count(1157.407), format_count(11574.07), format_count(100e6), format_count(365e9)
    ('1,160', '11,600', '100M', '365B')
    >>> format_count(62**7), format_count(2.5), format_count(1825)
    ('3.52T', '2.5', '1,825')
    >>> format_count(62**10), format_count(1.16e19)
    ('8.39e+17', '1.16e+19')
    """
    if abs(value) >= 1e15:  # past a thousand trillion, a power of ten reads better than a run of digits
        return f"{round_sig(value, digits):.{digits - 1}e}"
    rounded = value if value == int(value) and abs(value) < 1e6 else round_sig(value, digits)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(rounded) >= size:
            return f"{_plain(round_sig(rounded / size, digits))}{suffix}"
    return _plain(rounded)


def format_bytes(value: float, *, digits: int = 3) -> str:
    """A size in decimal (SI) units to three significant digits.

    >>> format_bytes(36.5e12), format_bytes(100), format_bytes(1_157_407), format_bytes(10e9)
    ('36.5 TB', '100 B', '1.16 MB', '10 GB')
    """
    rounded = round_sig(value, digits)
    for size, suffix in ((1e18, "EB"), (1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")):
        if abs(rounded) >= size:
            return f"{_plain(round_sig(rounded / size, digits))} {suffix}"
    return f"{_plain(rounded)} B"


def format_bandwidth(bytes_per_second: float) -> str:
    """A data rate in bytes per second, SI units.

    >>> format_bandwidth(115_740.7)
    '116 KB/s'
    """
    return f"{format_bytes(bytes_per_second)}/s"


def format_duration(seconds: float) -> str:
    """A time span in the largest whole unit that fits (years of 365 days, 30-day months).

    >>> format_duration(10 * SECONDS_PER_YEAR), format_duration(SECONDS_PER_MONTH), format_duration(90)
    ('10 years', '1 month', '1.5 min')
    """
    for size, unit in (
        (SECONDS_PER_YEAR, "year"),
        (SECONDS_PER_MONTH, "month"),
        (7 * SECONDS_PER_DAY, "week"),
        (SECONDS_PER_DAY, "day"),
        (3600, "hour"),
    ):
        if seconds >= size:
            amount = round_sig(seconds / size)
            return f"{_plain(amount)} {unit}{'' if amount == 1 else 's'}"
    if seconds >= 60:
        return f"{_plain(round_sig(seconds / 60))} min"
    if seconds >= 1:
        return f"{_plain(round_sig(seconds))} s"
    return f"{_plain(round_sig(seconds * 1000))} ms"


def format_percent(share: float, *, digits: int = 3) -> str:
    """A share 0-1 as a percentage to three significant digits.

    >>> format_percent(0.2), format_percent(0.8), format_percent(0.06667)
    ('20%', '80%', '6.67%')
    """
    return f"{_plain(round_sig(share * 100, digits))}%"
