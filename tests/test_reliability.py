"""Availability and latency along flows: defaults, overrides, copies in parallel, parts in series, the budget."""

from __future__ import annotations

from typing import Any

import pytest

from generator.analysis.reliability import (
    CROSS_REGION_RTT_MS,
    DEFAULT_AVAILABILITY,
    DEFAULT_LATENCY_MS,
    analyse,
    downtime_per_year,
    format_availability,
    parallel,
    redundancy,
    series,
)
from generator.frontend.model import Design, Kind


def test_published_downtime_figures_in_a_365_day_year() -> None:
    assert downtime_per_year(0.999) == "8 h 46 min"  # 8.76 h
    assert downtime_per_year(0.9999) == "53 min"  # 52.6 min


def test_downtime_in_readable_units() -> None:
    assert downtime_per_year(0.99) == "3 d 16 h"
    assert downtime_per_year(0.99999) == "5 min"
    assert downtime_per_year(0.999999) == "1 min"
    assert downtime_per_year(0.99999999) == "under 1 min", "not 0.3 s: no model is that precise"
    assert downtime_per_year(1.0) == "none"


def test_availability_shows_at_most_four_decimals_and_never_rounds_up_to_100() -> None:
    assert format_availability(0.999999989) == "99.9999%"
    assert format_availability(0.99999999999) == "99.9999%"
    assert format_availability(0.99995) == "99.995%"


def test_alternatives_are_alternatives_and_an_optional_cache_is_not_in_series() -> None:
    """Cache-aside read: app -> cache, then either the hit answers or the miss reads the database.

    By hand: lb 99.99%, app (2 replicas of 99.9%) 1 - 0.001^2 = 99.9999%, cache 99.9%, sql 99.95%.
    The miss arm waits on lb, app, db (the cache is optional: the read falls back to the database):
    0.9999 * 0.999999 * 0.9995 = 0.99940... ; the hit arm waits on lb, app only: 0.9999 * 0.999999.
    The worst way is the miss arm. Counting both arms in series, as before, would also multiply by 0.999 again.
    """
    design = make(
        [
            {"id": "user", "kind": "client"},
            {"id": "lb", "kind": "load_balancer"},
            {"id": "app", "kind": "service", "replicas": 2},
            {"id": "cache", "kind": "cache"},
            {"id": "db", "kind": "sql"},
        ],
        [
            "user -> lb: GET",
            "lb -> app: route",
            "app -> cache: get",
            {"alt": [{"when": "hit", "steps": ["app --> user: 200"]}, {"when": "miss", "steps": ["app -> db: q"]}]},
        ],
    )
    plain = analyse(design).flow("f")
    assert plain.arms == ("miss",)
    assert plain.availability == pytest.approx(0.9999 * (1 - 0.001**2) * 0.999 * 0.9995)
    spared = Design.model_validate(
        {
            **design.model_dump(by_alias=True),
            "flows": [{**design.flows[0].model_dump(by_alias=True), "optional": ["cache"]}],
        }
    )
    figures = analyse(spared).flow("f")
    assert figures.availability == pytest.approx(0.9999 * (1 - 0.001**2) * 0.9995)
    assert figures.components == ("lb", "app", "db") and figures.optional == ("cache",)


def test_a_procedure_gets_no_row() -> None:
    design = make([{"id": "a"}, {"id": "b"}], ["a -> b: step one"])
    plan = Design.model_validate(
        {
            **design.model_dump(by_alias=True),
            "flows": [{**design.flows[0].model_dump(by_alias=True), "availability": False}],
        }
    )
    assert [f.flow_id for f in analyse(plan).flows] == []


def test_two_nines_nines_in_series_and_in_parallel() -> None:
    assert series(0.999, 0.999) == pytest.approx(0.998001)
    assert format_availability(series(0.999, 0.999)) == "99.8%"
    assert parallel(0.999, 0.999) == pytest.approx(0.999999)
    assert format_availability(parallel(0.999, 0.999)) == "99.9999%"
    assert series() == 1.0 and parallel() == 0.0


def test_every_kind_has_defaults() -> None:
    assert set(DEFAULT_AVAILABILITY) == set(Kind) == set(DEFAULT_LATENCY_MS)
    assert all(0 < a <= 1 for a in DEFAULT_AVAILABILITY.values())
    assert DEFAULT_AVAILABILITY[Kind.service] == 0.999 and DEFAULT_AVAILABILITY[Kind.load_balancer] == 0.9999
    assert DEFAULT_LATENCY_MS[Kind.cache] < DEFAULT_LATENCY_MS[Kind.sql]


def make(components: list[dict[str, Any]], steps: list[Any], **extra: Any) -> Design:
    return Design.model_validate(
        {"id": "r", "title": "R", "components": components, "flows": [{"id": "f", "steps": steps}], **extra}
    )


def web() -> list[dict[str, Any]]:
    return [
        {"id": "user", "kind": "client"},
        {"id": "lb", "kind": "load_balancer"},
        {"id": "app", "kind": "service", "replicas": 2},
        {"id": "cache", "kind": "cache", "availability": 0.99, "latency_ms": 2},
        {"id": "db", "kind": "sql", "standby": True},
        {"id": "q", "kind": "queue"},
        {"id": "worker", "kind": "worker"},
        {"id": "s3", "kind": "object_store"},
    ]


def test_components_compose_copies_and_overrides() -> None:
    report = analyse(make(web(), ["user -> lb"]))
    table = {c.id: c for c in report.components}
    assert table["app"].copies == 2 and table["app"].availability == pytest.approx(1 - 0.001**2)
    assert table["db"].copies == 2 and table["db"].availability == pytest.approx(1 - 0.0005**2)
    assert table["cache"].availability == 0.99 and table["cache"].latency_ms == 2 and table["cache"].from_design
    assert not table["lb"].from_design
    assert table["app"].formula == "1 - (1 - 99.9%)^2"


def test_flow_series_and_latency_budget() -> None:
    steps = [
        "user -> lb: GET",
        "lb -> app",
        "app -> cache: get",
        {"step": "app -> db: SELECT", "parallel": True},
        "app ~> q: event",
        "q ~> worker",
        "worker -> s3: PUT",
        "app --> user: 200",
    ]
    flow = analyse(make(web(), steps)).flow("f")
    assert flow.components == ("lb", "app", "cache", "db", "q")  # the client is outside, the worker off the path
    expected = series(0.9999, 1 - 0.001**2, 0.99, 1 - 0.0005**2, 0.9995)
    assert flow.availability == pytest.approx(expected)
    assert flow.downtime == downtime_per_year(expected)
    assert flow.latency_ms == 1 + 5 + max(2, 10)  # lb, app, then cache and db in parallel
    assert [s.to for s in flow.steps] == ["lb", "app", "cache", "db"]
    assert flow.steps[3].path == ("flows", 0, "steps", 3)


def test_fragments_par_alt_opt() -> None:
    steps = [
        "user -> app",
        {"par": "fan out", "steps": ["app -> cache", "app -> db", "app -> s3"]},
        {"alt": [{"when": "hit", "steps": ["app -> cache"]}, {"when": "miss", "steps": ["app -> db", "app -> db"]}]},
        {"opt": "sometimes", "steps": ["app -> cache"]},
    ]
    flow = analyse(make(web(), steps)).flow("f")
    assert flow.latency_ms == 5 + 50 + 20 + 2
    assert ("flows", 0, "steps", 1, "steps", 2) in [s.path for s in flow.steps]
    assert ("flows", 0, "steps", 2, "branches", 1, "steps", 0) in [s.path for s in flow.steps]


def test_cross_region_step_adds_a_round_trip() -> None:
    components = [
        {"id": "app", "kind": "service", "group": "us"},
        {"id": "db", "kind": "sql", "group": "eu-dbs"},
    ]
    groups = [
        {"id": "us", "kind": "region"},
        {"id": "eu", "kind": "region"},
        {"id": "eu-dbs", "kind": "tier", "parent": "eu"},
    ]
    flow = analyse(make(components, ["app -> db"], groups=groups)).flow("f")
    assert flow.latency_ms == 10 + CROSS_REGION_RTT_MS and flow.steps[0].cross_region


def test_published_pair_through_a_design() -> None:
    pair = [{"id": "a", "kind": "service"}, {"id": "b", "kind": "service"}]
    in_series = analyse(make(pair, ["a -> b"])).flow("f")
    assert in_series.pretty_availability == "99.8%"
    doubled = analyse(make([{"id": "a", "kind": "client"}, {"id": "b", "kind": "service", "replicas": 2}], ["a -> b"]))
    assert doubled.flow("f").pretty_availability == "99.9999%"


def test_deterministic_and_missing_flow() -> None:
    design = make(web(), ["user -> lb", "lb -> app"])
    assert analyse(design) == analyse(design)
    with pytest.raises(KeyError):
        analyse(design).flow("nope")


def test_components_redundant_with_each_other_count_once_in_parallel() -> None:
    components = [
        {"id": "user", "kind": "client"},
        {"id": "lb", "kind": "load_balancer"},
        {"id": "app-a", "kind": "service", "replicas": 2},
        {"id": "app-b", "kind": "service", "redundant_with": "app-a"},
        {"id": "app-c", "kind": "service", "redundant_with": ["app-b"]},
        {"id": "db", "kind": "sql"},
    ]
    flow = analyse(make(components, ["user -> lb", "lb -> app-a", "lb -> app-b", "app-a -> db"])).flow("f")
    assert flow.components == ("lb", "app-a", "app-b", "db")
    assert flow.tiers == (("lb",), ("app-a", "app-b", "app-c"), ("db",))
    apps = parallel(1 - 0.001**2, 0.999, 0.999)  # app-c serves too, though this flow never names it
    assert flow.availability == pytest.approx(series(0.9999, apps, 0.9995))
    one_zone = analyse(make(components[:3] + components[5:], ["user -> lb", "lb -> app-a", "app-a -> db"]))
    assert flow.availability > one_zone.flow("f").availability


def test_redundancy_sets_are_symmetric_transitive_and_in_declared_order() -> None:
    design = make(
        [{"id": "a"}, {"id": "b", "redundant_with": ["d"]}, {"id": "c"}, {"id": "d", "redundant_with": "a"}],
        ["a -> c"],
    )
    sets = redundancy(design)
    assert sets["a"] == sets["b"] == sets["d"] == ("a", "b", "d")
    assert sets["c"] == ("c",)
