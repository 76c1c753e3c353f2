"""Back-of-the-envelope estimates, pinned against hand calculations of the course's published figures."""

from __future__ import annotations

import pytest

from generator.analysis.estimates import DEFAULTS, EstimateError, estimate
from generator.frontend.model import Design

DAY = 86_400

URL_SHORTENER = {"writes_per_day": "100M", "read_write_ratio": "10:1", "record_size": "100 B", "retention": "10 years"}


def test_url_shortener_xu_by_hand() -> None:
    report = estimate(URL_SHORTENER)
    assert report.errors == ()
    writes = 100e6 / DAY  # 1,157.4
    reads = writes * 10  # 11,574
    records = 100e6 * 365 * 10  # 365 billion
    storage = records * 100  # 36.5 TB
    assert report.row("write_rate").value == pytest.approx(writes)
    assert report.row("read_rate").value == pytest.approx(reads)
    assert report.row("records").value == pytest.approx(records)
    assert report.row("storage").value == pytest.approx(storage)
    assert report.row("write_rate").pretty == "1,160 /s"
    assert report.row("read_rate").pretty == "11,600 /s"
    assert report.row("records").pretty == "365B records"
    assert report.row("storage").pretty == "36.5 TB"
    assert report.row("storage").formula == "365B records × 100 B"
    assert "key_length_needed" not in report  # needs key_alphabet


def test_url_shortener_peak_bandwidth_and_cache() -> None:
    report = estimate({**URL_SHORTENER, "peak_factor": "3x"})
    writes = 100e6 / DAY
    assert report.row("peak_write_rate").value == pytest.approx(3 * writes)
    assert report.row("bandwidth_in").value == pytest.approx(writes * 100)
    assert report.row("bandwidth_out").value == pytest.approx(writes * 10 * 100)
    assert report.row("cache_memory").value == pytest.approx(1e9 * 100 * 0.2)  # a day's reads, 80/20
    assert report.row("cache_memory").pretty == "20 GB"
    assert "80/20" in report.row("cache_memory").formula
    assert report.row("peak_factor").formula == "given: 3x"
    assert report.row("cache_fraction").formula == "default"


def test_short_keys_62_to_the_7th() -> None:
    report = estimate({**URL_SHORTENER, "key_alphabet": 62, "key_length": 7})
    assert report.row("key_space").value == 62**7
    assert report.row("key_space").pretty == "3.52T keys"
    assert report.row("key_length_needed").value == 7
    short = estimate({**URL_SHORTENER, "key_alphabet": 62, "key_length": 6})
    assert [(e.key, e.hint) for e in short.errors] == [("key_length", "use 7 characters")]


def test_grokking_url_shortener() -> None:
    """GRK: 500M new URLs a month, 100:1, 500 bytes, 5 years: ~200/s, ~20K/s, 15 TB, 100 KB/s, 10 MB/s, 170 GB."""
    report = estimate(
        {"writes_per_month": "500M", "read_write_ratio": 100, "record_size": "500 bytes", "retention": "5 years"}
    )
    assert report.row("write_rate").value == pytest.approx(200, rel=0.05)
    assert report.row("read_rate").value == pytest.approx(20_000, rel=0.05)
    assert report.row("storage").value == pytest.approx(15e12, rel=0.05)
    assert report.row("bandwidth_in").value == pytest.approx(100e3, rel=0.05)
    assert report.row("bandwidth_out").value == pytest.approx(10e6, rel=0.05)
    assert report.row("cache_memory").value == pytest.approx(170e9, rel=0.05)
    assert report.row("writes_per_day").pretty == "16.7M /day"


def test_period_inside_the_value() -> None:
    monthly = estimate({"writes_per_day": "500M/month"})
    assert monthly.row("write_rate").value == pytest.approx(500e6 / (30 * DAY))
    assert monthly.row("write_rate").formula == "500M writes ÷ 2,592,000 s/month"


def test_feed_fanout() -> None:
    """500M tweets a day at 10 deliveries each is ~58K/s, the primer's "60 thousand"; at 5 it is half that."""
    ten = estimate({"writes_per_day": "500M", "fanout": 10}).row("fanout_rate").value
    assert ten == pytest.approx(500e6 * 10 / DAY) and ten == pytest.approx(60_000, rel=0.05)
    five = estimate({"writes_per_day": "500M", "fanout": 5}).row("fanout_rate").value
    assert five == pytest.approx(28_935, rel=0.001)


def test_chat_connection_memory() -> None:
    report = estimate({"connections_per_server": "1M", "memory_per_connection": "10 KB"})
    assert report.row("memory_per_server").value == 10e9
    assert report.row("memory_per_server").pretty == "10 GB"


def test_users_times_per_user() -> None:
    report = estimate(
        {
            "daily_active_users": "150M",
            "writes_per_user_per_day": 2,
            "reads_per_user_per_day": 100,
            "record_size": "1 KB",
        }
    )
    assert report.row("writes_per_day").value == 300e6
    assert report.row("write_rate").value == pytest.approx(300e6 / DAY)
    assert report.row("read_rate").value == pytest.approx(150e6 * 100 / DAY)
    assert report.row("write_rate").formula == "150M users × 2 writes/user/day ÷ 86,400 s/day"


def test_media_adds_storage_and_ingress() -> None:
    report = estimate({"writes_per_day": "1M", "record_size": "1 KB", "media_size": "1 MB", "retention": "1 year"})
    assert report.row("media_storage").value == pytest.approx(1e6 * 365 * 1e6)
    assert report.row("bandwidth_in").value == pytest.approx(1e6 / DAY * (1e3 + 1e6))
    assert "(1 KB + 1 MB)" in report.row("bandwidth_in").formula


def test_aliases_for_new_things_and_dau() -> None:
    report = estimate({"new_urls_per_day": "100M", "read_write_ratio": 10, "dau": "10M"})
    assert report.row("write_rate").value == pytest.approx(100e6 / DAY)
    assert report.row("writes_per_day").name == "new urls per day"
    assert report.row("daily_active_users").value == 10e6
    assert report.extras == ()


def test_free_form_keys_pass_through_in_order() -> None:
    report = estimate({"servers": "about 20", "writes_per_day": "1M", "note": 42})
    assert report.extras == (("servers", "about 20"), ("note", 42))


def test_unit_mistakes_are_collected_with_keys() -> None:
    report = estimate(
        {
            "record_size": "10 years",
            "writes_per_day": "100Q",
            "retention": 10,
            "cache_fraction": 2,
            "peak_factor": "2 KB",
        }
    )
    assert [e.key for e in report.errors] == [
        "record_size",
        "writes_per_day",
        "retention",
        "cache_fraction",
        "peak_factor",
    ]
    first = report.errors[0]
    assert first.path == ("estimates", "record_size")
    assert first.message == "'10 years' is a time span, not a size in bytes"
    assert "500 B" in first.hint
    assert str(first).startswith("estimates.record_size: '10 years' is a time span")
    assert report.rows == ()


def test_inconsistent_and_incomplete_inputs() -> None:
    def keys(values: dict[str, str | int | float]) -> list[str]:
        return [e.key for e in estimate(values).errors]

    assert keys({"writes_per_user_per_day": 3}) == ["writes_per_user_per_day"]
    assert keys({"writes_per_day": "1M", "writes_per_month": "30M"}) == ["writes_per_month"]
    assert keys({"dau": "1M", "daily_active_users": "1M"}) == ["daily_active_users"]
    assert keys({"read_write_ratio": 10}) == ["read_write_ratio"]
    assert keys({"writes_per_day": "1M", "reads_per_day": "5M", "read_write_ratio": 5}) == ["read_write_ratio"]
    assert keys({"daily_active_users": "1M", "writes_per_user_per_day": 2, "writes_per_day": "5M"}) == [
        "writes_per_day"
    ]
    assert keys({"daily_active_users": "1M", "writes_per_user_per_day": 2, "writes_per_day": "2M"}) == []
    assert keys({"key_alphabet": 1}) == ["key_alphabet"]
    assert keys({"key_length": 7}) == ["key_length"]
    assert keys({"fanout": 5}) == ["fanout"]


def test_defaults_and_notes() -> None:
    assert DEFAULTS == {"peak_factor": 2.0, "cache_fraction": 0.2}
    report = estimate(URL_SHORTENER)
    assert any("10^12" in note for note in report.notes)
    with pytest.raises(KeyError):
        report.row("nothing")


def test_from_a_design_and_deterministic() -> None:
    design = Design.model_validate(
        {"id": "u", "title": "U", "components": [{"id": "a"}], "estimates": {**URL_SHORTENER, "read_write_ratio": 10}}
    )
    assert estimate(design.estimates) == estimate(design.estimates)
    assert estimate(design.estimates).row("read_rate").pretty == "11,600 /s"


def test_error_is_a_dataclass_with_path() -> None:
    error = EstimateError("x", "bad")
    assert error.path == ("estimates", "x") and str(error) == "estimates.x: bad"
