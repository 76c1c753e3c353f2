"""Quantities with units: reading counts, sizes, time spans, multipliers and shares, and printing them back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.analysis.units import (
    SECONDS_PER_DAY,
    SECONDS_PER_MONTH,
    SECONDS_PER_YEAR,
    UnitError,
    format_bandwidth,
    format_bytes,
    format_count,
    format_duration,
    format_percent,
    parse_quantity,
    parse_rate,
    round_sig,
    split_rate,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100M", 100e6),
        ("100 M", 100e6),
        ("1.5 billion", 1.5e9),
        ("365B", 365e9),
        ("2k", 2000),
        ("250,000", 250_000),
        ("1_000", 1000),
        ("1e6", 1e6),
        ("3.5T", 3.5e12),
        ("100M users", 100e6),
        ("500 tweets", 500),
        (62, 62),
        (2.5, 2.5),
    ],
)
def test_counts(text: str | float, value: float) -> None:
    assert parse_quantity(text, expect="count") == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500 B", 500),
        ("500B", 500),
        ("100 bytes", 100),
        ("2 KB", 2000),
        ("1.5 GB", 1.5e9),
        ("36.5 TB", 36.5e12),
        ("1 PB", 1e15),
        ("1 KiB", 1024),
        ("1 GiB", 2**30),
        (100, 100),
    ],
)
def test_sizes_are_decimal_unless_binary(text: str | float, value: float) -> None:
    assert parse_quantity(text, expect="bytes") == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("10 years", 10 * 365 * 86_400),
        ("5y", 5 * 365 * 86_400),
        ("30 days", 30 * 86_400),
        ("1 month", 30 * 86_400),
        ("2 weeks", 14 * 86_400),
        ("5 min", 300),
        ("200 ms", 0.2),
        ("1h", 3600),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_quantity(text, expect="duration") == pytest.approx(seconds)


def test_ratios_and_fractions() -> None:
    assert parse_quantity("3x", expect="ratio") == 3
    assert parse_quantity("10:1", expect="ratio") == 10
    assert parse_quantity("1:4", expect="ratio") == 0.25
    assert parse_quantity(100, expect="ratio") == 100
    assert parse_quantity("150%", expect="ratio") == pytest.approx(1.5)
    assert parse_quantity("99.9%", expect="fraction") == pytest.approx(0.999)
    assert parse_quantity("20%", expect="fraction") == pytest.approx(0.2)
    assert parse_quantity(0.2, expect="fraction") == 0.2


@pytest.mark.parametrize(
    ("text", "expect", "message", "hint"),
    [
        ("10 years", "bytes", "'10 years' is a time span, not a size in bytes", "500 B"),
        ("2 KB", "duration", "'2 KB' is a size in bytes, not a time span", "10 years"),
        ("1.5K", "bytes", "'1.5K' is a count, not a size in bytes", "2 KB"),
        ("100Q", "count", "unknown suffix 'q'", "100M"),
        ("100 milion", "count", "unknown suffix 'milion'", "did you mean 'million'?"),
        ("2 kbs", "bytes", "unknown unit 'kbs'", "did you mean 'kb'?"),
        ("3 fortnights", "duration", "unknown unit 'fortnights'", "30 days"),
        ("10", "duration", "has no unit", "10 years"),
        ("1.5", "fraction", "more than 1", "20%"),
        ("-3", "count", "negative", ""),
        ("lots", "count", "cannot read 'lots' as a number", ""),
        ("50%", "count", "is a share between 0 and 1, not a count", ""),
        ("100M/day", "count", "is a rate", ""),
        ("3 GB", "ratio", "is a size in bytes, not a multiplier", "3x"),
        ("1:0", "ratio", "divides by zero", ""),
    ],
)
def test_mistakes_say_what_and_how(text: str, expect: str, message: str, hint: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_quantity(text, expect=expect)  # type: ignore[arg-type]
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_bool_is_not_a_number() -> None:
    with pytest.raises(UnitError, match="yes/no"):
        parse_quantity(True, expect="count")


def test_rates() -> None:
    assert parse_rate("100M") == pytest.approx(100e6 / 86_400)
    assert parse_rate("500M/month") == pytest.approx(500e6 / SECONDS_PER_MONTH)
    assert parse_rate("500M per month") == pytest.approx(500e6 / SECONDS_PER_MONTH)
    assert parse_rate("100M a day") == pytest.approx(100e6 / 86_400)
    assert parse_rate("1,160/s") == pytest.approx(1160)
    assert parse_rate(400, per=1) == 400
    assert split_rate("2B/year") == (2e9, SECONDS_PER_YEAR)
    with pytest.raises(UnitError, match="unknown period 'fortnight'"):
        parse_rate("5/fortnight")


def test_conversions_from_the_course() -> None:
    assert SECONDS_PER_DAY == 86_400
    assert SECONDS_PER_MONTH == 2_592_000  # "about 2.5M seconds a month"
    month, month_of_400 = float(SECONDS_PER_MONTH), 400.0 * SECONDS_PER_MONTH
    assert month == pytest.approx(2.5e6, rel=0.05)
    assert month_of_400 == pytest.approx(1e9, rel=0.05)  # "400 requests/s is about 1B a month"
    records = parse_quantity("100M", expect="count") * parse_quantity("10 years", expect="duration") / 86_400
    assert records == 365e9


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1157.407, "1,160"),
        (11_574.07, "11,600"),
        (100e6, "100M"),
        (365e9, "365B"),
        (62**7, "3.52T"),
        (1825, "1,825"),
        (0.5, "0.5"),
    ],
)
def test_format_count(value: float, text: str) -> None:
    assert format_count(value) == text


def test_format_sizes_and_spans() -> None:
    assert format_bytes(36.5e12) == "36.5 TB"
    assert format_bytes(10e9) == "10 GB"
    assert format_bytes(999) == "999 B"
    assert format_bytes(999_999) == "1 MB"
    assert format_bandwidth(1_157_407) == "1.16 MB/s"
    assert format_duration(10 * SECONDS_PER_YEAR) == "10 years"
    assert format_duration(0.2) == "200 ms"
    assert format_percent(0.2) == "20%"
    assert round_sig(0.0) == 0.0


@given(st.floats(min_value=1, max_value=1e15))
def test_printed_counts_read_back(value: float) -> None:
    assert parse_quantity(format_count(value), expect="count") == pytest.approx(round_sig(value, 3), rel=1e-9)


@given(st.floats(min_value=1, max_value=1e18))
def test_printed_sizes_read_back(value: float) -> None:
    assert parse_quantity(format_bytes(value), expect="bytes") == pytest.approx(value, rel=0.005)
