"""Back-of-the-envelope estimates from a design's ``estimates:``: rates, storage, bandwidth and cache memory.

Known keys (values are numbers or strings with units, see :mod:`generator.analysis.units`):

==========================  =========  ===================================================================
key                         reads as   meaning
==========================  =========  ===================================================================
daily_active_users          count      users a day (``dau`` also works)
writes_per_user_per_day     count      writes each user makes a day (needs daily_active_users)
writes_per_day              rate       new records a day; ``"500M/month"`` or ``"1,160/s"`` also work;
                                       ``writes_per_month``, ``writes_per_second`` and
                                       ``new_<things>_per_day`` (``new_urls_per_day``) too
reads_per_user_per_day      count      reads each user makes a day (needs daily_active_users)
reads_per_day               rate       reads a day (or ``reads_per_month``, ``reads_per_second``)
read_write_ratio            ratio      reads per write, ``"10:1"`` or ``100``
record_size                 bytes      bytes stored per write
read_size                   bytes      bytes sent per read (default: record_size)
media_size                  bytes      media bytes stored per write, on top of the record
retention                   duration   how long records are kept, ``"10 years"``
peak_factor                 ratio      peak over average traffic (default 2)
cache_fraction              fraction   share of a day's reads to keep in cache (default 0.2, the 80/20 rule)
fanout                      ratio      deliveries per write (followers per post)
connections_per_server      count      open connections one server holds
memory_per_connection       bytes      memory each connection takes
key_alphabet                count      symbols a short key may use (62 for [0-9a-zA-Z])
key_length                  count      characters in a short key
==========================  =========  ===================================================================

Any other key is free-form and passed through as given. Sizes are decimal (SI): 1 KB = 10^3 bytes,
1 TB = 10^12 bytes; a day is 86,400 s, a month 30 days, a year 365 days.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.analysis.units import (
    SECONDS_PER_DAY,
    SECONDS_PER_MONTH,
    SECONDS_PER_YEAR,
    Dimension,
    UnitError,
    format_bandwidth,
    format_bytes,
    format_count,
    format_duration,
    format_percent,
    parse_quantity,
    split_rate,
)
from generator.errors import Diagnostic
from generator.frontend.load import SourceMap
from generator.frontend.model import Scalar

__all__ = [
    "DEFAULTS",
    "KNOWN_KEYS",
    "LIMIT",
    "EstimateError",
    "EstimateReport",
    "EstimateRow",
    "canonical_key",
    "estimate",
    "estimate_diagnostics",
    "per_month",
]

LIMIT = 1e100
"""Every input and figure stays below this: no real system comes near it, and past it the arithmetic overflows."""

DEFAULTS: Mapping[str, float] = MappingProxyType({"peak_factor": 2.0, "cache_fraction": 0.2})
"""Values used when a design does not give them."""

_RATE_PERIODS: dict[str, float] = {
    "per_second": 1.0,
    "per_day": SECONDS_PER_DAY,
    "per_month": SECONDS_PER_MONTH,
}

_PERIOD_TEXT: dict[float, str] = {
    60: "60 s/min",
    3600: "3,600 s/hour",
    SECONDS_PER_DAY: "86,400 s/day",
    7 * SECONDS_PER_DAY: "604,800 s/week",
    SECONDS_PER_MONTH: "2,592,000 s/month",
    SECONDS_PER_YEAR: "31,536,000 s/year",
}

_KINDS: dict[str, Dimension | str] = {
    "daily_active_users": "count",
    "writes_per_user_per_day": "count",
    "writes_per_day": "rate",
    "writes_per_month": "rate",
    "writes_per_second": "rate",
    "reads_per_user_per_day": "count",
    "reads_per_day": "rate",
    "reads_per_month": "rate",
    "reads_per_second": "rate",
    "read_write_ratio": "ratio",
    "record_size": "bytes",
    "read_size": "bytes",
    "media_size": "bytes",
    "retention": "duration",
    "peak_factor": "ratio",
    "cache_fraction": "fraction",
    "fanout": "ratio",
    "connections_per_server": "count",
    "memory_per_connection": "bytes",
    "key_alphabet": "count",
    "key_length": "count",
}

KNOWN_KEYS: tuple[str, ...] = tuple(_KINDS)
"""Every key :func:`estimate` reads (besides the aliases of :func:`canonical_key`); the rest pass through."""

_ALIASES: dict[str, str] = {"dau": "daily_active_users"}
_NEW_THINGS_RE = re.compile(r"new_[a-z0-9_]+?_per_(day|month|second)")


def canonical_key(key: str) -> str:
    """The known key an alias stands for: ``dau``, and ``new_<things>_per_<day|month|second>`` for writes.

    >>> canonical_key("new_urls_per_day"), canonical_key("dau"), canonical_key("anything_else")
    ('writes_per_day', 'daily_active_users', 'anything_else')
    """
    match = _NEW_THINGS_RE.fullmatch(key)
    if match is not None:
        return f"writes_per_{match[1]}"
    return _ALIASES.get(key, key)


@dataclass(frozen=True)
class EstimateRow:
    """One figure of an estimate: a value in base units, how it was computed, and how to quote it."""

    key: str
    name: str
    value: float
    unit: str
    formula: str
    pretty: str


@dataclass(frozen=True)
class EstimateError:
    """A value under ``estimates:`` that cannot be used; ``path`` locates it in the design file.

    >>> str(EstimateError("record_size", "'10 years' is a time span, not a size in bytes", "like '100 B'"))
    "estimates.record_size: '10 years' is a time span, not a size in bytes (like '100 B')"
    """

    key: str
    message: str
    hint: str = ""

    @property
    def path(self) -> tuple[str, str]:
        """The key path into the design document."""
        return ("estimates", self.key)

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"estimates.{self.key}: {self.message}{hint}"


@dataclass(frozen=True)
class EstimateReport:
    """The inputs as read, the figures derived from them, free-form extras, and every problem found."""

    inputs: tuple[EstimateRow, ...] = ()
    rows: tuple[EstimateRow, ...] = ()
    extras: tuple[tuple[str, Scalar], ...] = ()
    errors: tuple[EstimateError, ...] = ()
    notes: tuple[str, ...] = field(
        default=(
            "Sizes are decimal (SI): 1 KB = 10^3 bytes, 1 TB = 10^12 bytes.",
            "A day is 86,400 s, a month 30 days (about 2.5M s), a year 365 days.",
        )
    )

    def row(self, key: str) -> EstimateRow:
        """The derived or input row with this key.

        Raises:
            KeyError: No such row (its inputs were not given).
        """
        for item in (*self.rows, *self.inputs):
            if item.key == key:
                return item
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(item.key == key for item in (*self.rows, *self.inputs))


def per_month(rate_per_second: float) -> float:
    """Events a 30-day month at a steady rate: 400 requests/s is about 1B a month.

    >>> format_count(per_month(400))
    '1.04B'
    """
    return rate_per_second * SECONDS_PER_MONTH


def _pretty(value: float, unit: str) -> str:
    if unit == "B":
        return format_bytes(value)
    if unit == "B/s":
        return format_bandwidth(value)
    if unit == "s":
        return format_duration(value)
    if unit == "%":
        return format_percent(value)
    if unit == "x":
        return f"{format_count(value)}x"
    return f"{format_count(value)} {unit}".rstrip()


def _row(key: str, name: str, value: float, unit: str, formula: str) -> EstimateRow:
    return EstimateRow(key, name, value, unit, formula, _pretty(value, unit))


class _Reader:
    """Reads the known keys once, collecting errors; local to one :func:`estimate` call."""

    def __init__(self, values: Mapping[str, Scalar]) -> None:
        self.values = values
        self.errors: list[EstimateError] = []
        self.parsed: dict[str, float] = {}
        self.periods: dict[str, float] = {}
        self.original: dict[str, str] = {}  # canonical key -> the key as written
        for written, raw in values.items():
            key = canonical_key(written)
            kind = _KINDS.get(key)
            if kind is None:
                continue
            if key in self.original:
                message = f"{written} says the same as {self.original[key]}"
                self.errors.append(EstimateError(written, message, "keep one"))
                continue
            self.original[key] = written
            if isinstance(raw, bool):  # YAML reads true, yes and on as booleans
                self.error(key, f"{written} should be a number, not {str(raw).lower()}", "write a number, such as 100M")
                continue
            try:
                if kind == "rate":
                    period = next(p for suffix, p in _RATE_PERIODS.items() if key.endswith(suffix))
                    count, self.periods[key] = split_rate(raw, per=period)
                    self.parsed[key] = count / self.periods[key]
                else:
                    self.parsed[key] = parse_quantity(raw, expect=kind)  # type: ignore[arg-type]
            except UnitError as error:
                self.error(key, error.message, error.hint)
            except (OverflowError, ValueError):  # a number too long for a float, say 10**400
                self.error(key, f"{written} is too large to compute with", f"figures stop at {LIMIT:.0e}")
            else:
                if not abs(self.parsed[key]) < LIMIT:  # also catches infinity and NaN
                    del self.parsed[key]
                    self.error(key, f"{written} is too large to compute with", f"figures stop at {LIMIT:.0e}")

    def name(self, key: str) -> str:
        """The key as the design wrote it."""
        return self.original.get(key, key)

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.errors.append(EstimateError(self.name(key), message, hint))

    def get(self, *keys: str) -> tuple[str, float] | None:
        found = [(k, self.parsed[k]) for k in keys if k in self.parsed]
        if len(found) > 1:
            names = ", ".join(self.name(k) for k, _ in found)
            self.error(found[1][0], f"give only one of {names}", "they say the same thing")
        return found[0] if found else None

    def needs(self, key: str, other: str) -> None:
        if key in self.parsed and other not in self.original:
            self.error(key, f"{self.name(key)} needs {other}", f"add {other}, e.g. '10M'")

    def given(self, key: str) -> str:
        return str(self.values[self.name(key)])


def _rate_from(reader: _Reader, noun: str, users: tuple[str, float] | None) -> tuple[float, str, str] | None:
    """Average events per second for ``noun`` ("writes"/"reads"), its formula, and the key it came from."""
    direct = reader.get(f"{noun}_per_day", f"{noun}_per_month", f"{noun}_per_second")
    per_user_key = f"{noun}_per_user_per_day"
    per_user = reader.parsed.get(per_user_key)
    derived: tuple[float, str] | None = None
    if per_user is not None and users is not None:
        derived = (
            users[1] * per_user / SECONDS_PER_DAY,
            f"{format_count(users[1])} users × {format_count(per_user)} {noun}/user/day ÷ 86,400 s/day",
        )
    if direct is not None:
        key, rate = direct
        if derived is not None and not math.isclose(rate, derived[0], rel_tol=0.01):
            reader.errors.append(
                EstimateError(
                    reader.name(key),
                    f"{reader.name(key)} ({reader.given(key)}) disagrees with users × {per_user_key} "
                    f"({format_count(derived[0] * SECONDS_PER_DAY)}/day)",
                    "keep one of the two",
                )
            )
        period = reader.periods[key]
        if period == 1:
            return rate, f"given: {reader.given(key)}", key
        count = format_count(rate * period)
        return rate, f"{count} {noun} ÷ {_PERIOD_TEXT.get(period, f'{period:,.0f} s')}", key
    if derived is not None:
        return derived[0], derived[1], per_user_key
    return None


def estimate(values: Mapping[str, Scalar]) -> EstimateReport:
    """Derive the usual interview figures from a design's ``estimates:`` mapping.

    Args:
        values: The mapping as written in the design; unknown keys pass through untouched.

    Returns:
        An :class:`EstimateReport`; figures whose inputs are missing are left out, and every unreadable value
        is an :class:`EstimateError` in ``errors`` rather than an exception.

    >>> report = estimate({"writes_per_day": "100M", "read_write_ratio": "10:1", "record_size": "100 B",
    ...                    "retention": "10 years"})
    >>> [report.row(k).pretty for k in ("write_rate", "read_rate", "records", "storage")]
    ['1,160 /s', '11,600 /s', '365B records', '36.5 TB']
    """
    reader = _Reader(values)
    inputs: list[EstimateRow] = []
    rows: list[EstimateRow] = []

    def add(key: str, name: str, value: float, unit: str, formula: str) -> float:
        if not abs(value) < LIMIT:
            raise _TooLarge(name, "")
        rows.append(_row(key, name, value, unit, formula))
        return value

    try:
        _figures(reader, inputs, add)
    except _TooLarge as big:
        name, key = big.args
        reader.errors.append(
            EstimateError(
                reader.name(key) if key in reader.original else next(iter(values), ""),
                f"the {name} comes to {LIMIT:.0e} or more: the inputs are too large to compute with",
                "check the units and the powers of ten",
            )
        )
    extras = tuple((k, v) for k, v in values.items() if canonical_key(k) not in _KINDS)
    return EstimateReport(tuple(inputs), tuple(rows), extras, tuple(reader.errors))


class _TooLarge(ArithmeticError):
    """A derived figure reached :data:`LIMIT`."""


def _figures(reader: _Reader, inputs: list[EstimateRow], add: Callable[[str, str, float, str, str], float]) -> None:
    """Every derived figure, in the order the write-up lists them (``add`` records each)."""

    users = reader.get("daily_active_users")
    for noun in ("writes", "reads"):
        reader.needs(f"{noun}_per_user_per_day", "daily_active_users")

    for key, kind in _KINDS.items():
        if key in reader.parsed:
            value = reader.parsed[key]
            unit = {"bytes": "B", "duration": "s", "fraction": "%", "ratio": "x"}.get(kind, "")
            if kind == "rate":
                suffix, period = next((s, p) for s, p in _RATE_PERIODS.items() if key.endswith(s))
                value, unit = (
                    value * period,
                    "/" + {"per_second": "s", "per_day": "day", "per_month": "month"}[suffix],
                )
            name = reader.name(key).replace("_", " ")
            inputs.append(_row(key, name, value, unit, f"given: {reader.given(key)}"))

    def setting(key: str) -> tuple[float, str]:
        if key in reader.parsed:
            return reader.parsed[key], "given"
        if key not in reader.values and key not in {row.key for row in inputs}:
            unit = "%" if key == "cache_fraction" else "x"
            inputs.append(_row(key, key.replace("_", " "), DEFAULTS[key], unit, "default"))
        return DEFAULTS[key], "default"

    def add_peak(key: str, name: str, rate: float) -> None:
        peak, how = setting("peak_factor")
        peak_text = f"peak factor {format_count(peak)}{'' if how == 'given' else ', default'}"
        add(key, name, rate * peak, "/s", f"{format_count(rate)} /s × {peak_text}")

    writes = _rate_from(reader, "writes", users)
    write_rate: float | None = None
    if writes is not None:
        write_rate, formula, source = writes
        if source != "writes_per_day":
            per_day = (
                formula.split(" ÷ ")[0]
                if source.endswith("per_user_per_day")
                else f"{format_count(write_rate)} /s × 86,400 s/day"
            )
            add("writes_per_day", "writes per day", write_rate * SECONDS_PER_DAY, "/day", per_day)
        add("write_rate", "average writes", write_rate, "/s", formula)
        add_peak("peak_write_rate", "peak writes", write_rate)

    read_rate: float | None = None
    reads = _rate_from(reader, "reads", users)
    ratio = reader.parsed.get("read_write_ratio")
    if reads is not None:
        read_rate, formula, key = reads
        if ratio is not None:
            reader.errors.append(
                EstimateError("read_write_ratio", f"give either {reader.name(key)} or read_write_ratio", "keep one")
            )
    elif ratio is not None and write_rate is not None:
        read_rate = write_rate * ratio
        formula = f"{format_count(write_rate)} writes/s × {format_count(ratio)} reads per write"
    elif ratio is not None:
        reader.errors.append(
            EstimateError("read_write_ratio", "read_write_ratio needs a write rate", "add writes_per_day")
        )
    if read_rate is not None:
        add("read_rate", "average reads", read_rate, "/s", formula)
        add_peak("peak_read_rate", "peak reads", read_rate)

    record_size = reader.parsed.get("record_size")
    retention = reader.parsed.get("retention")
    media_size = reader.parsed.get("media_size")
    records: float | None = None
    if write_rate is not None and retention is not None:
        records = add(
            "records",
            "records over retention",
            write_rate * retention,
            "records",
            f"{format_count(write_rate * SECONDS_PER_DAY)}/day × "
            f"{format_count(retention / SECONDS_PER_DAY)} days ({format_duration(retention)})",
        )
        if record_size is not None:
            add(
                "storage",
                "storage over retention",
                records * record_size,
                "B",
                f"{format_count(records)} records × {format_bytes(record_size)}",
            )
        if media_size is not None:
            add(
                "media_storage",
                "media storage over retention",
                records * media_size,
                "B",
                f"{format_count(records)} records × {format_bytes(media_size)}",
            )

    if write_rate is not None and (record_size is not None or media_size is not None):
        per_write = (record_size or 0.0) + (media_size or 0.0)
        parts = " + ".join(format_bytes(x) for x in (record_size, media_size) if x is not None)
        parts = f"({parts})" if "+" in parts else parts
        add(
            "bandwidth_in",
            "bandwidth in",
            write_rate * per_write,
            "B/s",
            f"{format_count(write_rate)} writes/s × {parts}",
        )

    read_size = reader.parsed.get("read_size", record_size)
    if read_rate is not None and read_size is not None:
        add(
            "bandwidth_out",
            "bandwidth out",
            read_rate * read_size,
            "B/s",
            f"{format_count(read_rate)} reads/s × {format_bytes(read_size)}",
        )
        share, how = setting("cache_fraction")
        rule = " (80/20 rule)" if how == "default" else ""
        add(
            "cache_memory",
            "cache for a day's hot reads",
            read_rate * SECONDS_PER_DAY * read_size * share,
            "B",
            f"{format_count(read_rate * SECONDS_PER_DAY)} reads/day × {format_bytes(read_size)} × "
            f"{format_percent(share)}{rule}",
        )

    fanout = reader.parsed.get("fanout")
    if fanout is not None and write_rate is not None:
        add(
            "fanout_rate",
            "fan-out deliveries",
            write_rate * fanout,
            "/s",
            f"{format_count(write_rate)} writes/s × {format_count(fanout)} deliveries each",
        )
    elif fanout is not None:
        reader.errors.append(EstimateError("fanout", "fanout needs a write rate", "add writes_per_day"))

    connections = reader.parsed.get("connections_per_server")
    per_connection = reader.parsed.get("memory_per_connection")
    if connections is not None and per_connection is not None:
        add(
            "memory_per_server",
            "connection memory per server",
            connections * per_connection,
            "B",
            f"{format_count(connections)} connections × {format_bytes(per_connection)}",
        )

    _keys(reader, records, add)


def _keys(reader: _Reader, records: float | None, add: Callable[[str, str, float, str, str], float]) -> None:
    alphabet = reader.parsed.get("key_alphabet")
    length = reader.parsed.get("key_length")
    for key, value in (("key_alphabet", alphabet), ("key_length", length)):
        if value is not None and (value != int(value) or value < (2 if key == "key_alphabet" else 1)):
            reader.error(key, f"{key} must be a whole number, got {reader.given(key)}")
            return
    if alphabet is None:
        if length is not None:
            reader.errors.append(EstimateError("key_length", "key_length needs key_alphabet", "add key_alphabet: 62"))
        return
    base = int(alphabet)
    if length is not None:
        if length * math.log10(base) >= math.log10(LIMIT):
            raise _TooLarge("key space", "key_length")
        space = add("key_space", "key space", float(base) ** int(length), "keys", f"{base}^{int(length)}")
        if records is not None and space < records:
            reader.errors.append(
                EstimateError(
                    "key_length",
                    f"{base}^{int(length)} = {format_count(space)} keys is fewer than the "
                    f"{format_count(records)} records over retention",
                    f"use {_length_for(base, records)} characters",
                )
            )
    if records is not None and base > 1:
        need = _length_for(base, records)
        add(
            "key_length_needed",
            "shortest key length",
            float(need),
            "characters",
            f"{base}^{need} = {format_count(float(base) ** need)} ≥ {format_count(records)} records",
        )


def _length_for(base: int, records: float) -> int:
    """The fewest characters from an alphabet of ``base`` symbols that give ``records`` distinct keys.

    >>> _length_for(62, 365e9)
    7
    """
    length = 1
    while base**length < records:
        length += 1
    return length


def estimate_diagnostics(report: EstimateReport, source: SourceMap) -> list[Diagnostic]:
    """The unusable values of an estimate report as validation errors, each located at its value."""
    return [Diagnostic(source.locate(error.path), error.message, hint=error.hint) for error in report.errors]
