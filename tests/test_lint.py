"""Design review rules: each rule fires on a small design and stays quiet on its fixed twin; suppression; output."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.analysis.lint import (
    RULES,
    Finding,
    UnknownRuleError,
    explain,
    format_path,
    lint,
    to_diagnostic,
    to_json,
    to_sarif,
)
from generator.errors import Location
from generator.frontend.model import Design


def make(components: list[Any], flows: list[Any] | None = None, **extra: Any) -> Design:
    """A design from short component specs ``"id:kind"`` or dicts, and flows given as step lists."""
    comps = []
    for spec in components:
        if isinstance(spec, str):
            cid, _, kind = spec.partition(":")
            comps.append({"id": cid, "kind": kind or "generic"})
        else:
            comps.append(spec)
    data: dict[str, Any] = {"id": "t", "title": "T", "components": comps, **extra}
    if flows is not None:
        data["flows"] = [{"id": f"f{i}", "steps": steps} for i, steps in enumerate(flows)]
    return Design.model_validate(data)


def codes(design: Design, code: str | None = None) -> list[Finding]:
    found = lint(design)
    return [f for f in found if code is None or f.code == code]


def test_registry_codes_are_stable_and_explained() -> None:
    assert list(RULES) == sorted(RULES)
    for code, rule in RULES.items():
        assert code == rule.code and code.startswith("BP1") and len(code) == 5
        assert rule.severity in ("error", "warning", "note")
        assert len(rule.explanation) > 80 and rule.title
        assert explain(code).startswith(f"{code} ({rule.severity}): {rule.title}")
    required = {
        "BP100",
        "BP110",
        "BP111",
        "BP112",
        "BP113",
        "BP114",
        "BP115",
        "BP116",
        "BP117",
        "BP118",
        "BP119",
        "BP120",
        "BP121",
        "BP122",
        "BP123",
    }
    assert required <= set(RULES)


def test_explain_unknown_code_suggests() -> None:
    with pytest.raises(UnknownRuleError, match="did you mean BP11"):
        explain("BP11O")


# --- BP110 single point of failure ------------------------------------------------------------------------------


def test_spof_fires_on_single_instance_on_a_flow() -> None:
    design = make(["c:client", "lb:load_balancer", "app:service"], [["c -> lb", "lb -> app"]])
    found = codes(design, "BP110")
    assert [f.path for f in found] == [("components", 1), ("components", 2)]
    assert "'lb' (load_balancer) is a single point of failure on flow 'f0'" in found[0].message
    assert found[0].severity == "warning"


def test_spof_quiet_with_replicas_standby_or_off_flow() -> None:
    design = make(
        [
            "c:client",
            {"id": "lb", "kind": "load_balancer", "replicas": 2},
            {"id": "db", "kind": "sql", "standby": True},
            "lonely:service",
            "db-replica:sql",
        ],
        [["c -> lb", "lb -> db", "lb -> db-replica: SELECT"]],
    )
    assert codes(design, "BP110") == []


# --- BP111 high availability on a single database ---------------------------------------------------------------


@pytest.mark.parametrize(
    "requirement",
    ["The service must be highly available", "High availability", "99.95% availability", "four nines uptime"],
)
def test_ha_single_database_fires(requirement: str) -> None:
    design = make(["app:service", "db:sql"], requirements={"non_functional": [requirement]})
    found = codes(design, "BP111")
    assert [f.path for f in found] == [("components", 1)]
    assert found[0].severity == "error" and "single sql database" in found[0].message


@pytest.mark.parametrize(
    ("requirement", "db"),
    [
        ("99% availability", {"id": "db", "kind": "sql"}),
        ("p99 latency under 200 ms; 99.9% of requests succeed fast", {"id": "db", "kind": "sql"}),
        ("High availability", {"id": "db", "kind": "sql", "replicas": 3}),
        ("High availability", {"id": "db", "kind": "sql", "standby": True}),
    ],
)
def test_ha_single_database_quiet(requirement: str, db: dict[str, Any]) -> None:
    design = make(["app:service", db], requirements={"non_functional": [requirement]})
    assert codes(design, "BP111") == []


def test_ha_single_database_quiet_with_replication_step() -> None:
    design = make(
        ["app:service", "db:sql", "copy:sql"],
        [["app -> db: INSERT", "db => copy: replicate"]],
        requirements={"non_functional": ["highly available"]},
    )
    assert codes(design, "BP111") == []


def test_ha_single_database_replaces_spof_for_that_database() -> None:
    design = make(["app:service", "db:sql"], [["app -> db"]], requirements={"non_functional": ["highly available"]})
    assert [f.code for f in codes(design) if f.path == ("components", 1)] == ["BP111"]


# --- BP112 async without a broker -------------------------------------------------------------------------------


def test_async_without_broker_fires() -> None:
    design = make(["a:service", "b:worker"], [["a ~> b: resize"]])
    found = codes(design, "BP112")
    assert [f.path for f in found] == [("flows", 0, "steps", 0)]


def test_async_through_a_queue_is_fine() -> None:
    design = make(["a:service", "q:queue", "b:worker"], [["a ~> q: resize", "q ~> b: resize"]])
    assert codes(design, "BP112") == []


# --- BP113 queue without a consumer -----------------------------------------------------------------------------


def test_queue_without_consumer_fires() -> None:
    design = make(["a:service", "q:stream"], [["a ~> q: event"]])
    assert [f.path for f in codes(design, "BP113")] == [("components", 1)]


@pytest.mark.parametrize("consumer", ["q ~> w: deliver", "w -> q: poll", "w -> q"])
def test_queue_with_consumer_is_fine(consumer: str) -> None:
    design = make(["a:service", "q:queue", "w:worker"], [["a ~> q: event", consumer]])
    assert codes(design, "BP113") == []


# --- BP114 component on no flow ---------------------------------------------------------------------------------


def test_component_on_no_flow_fires_only_when_there_are_flows() -> None:
    design = make(["a:service", "b:service", "mon:monitoring"], [["a -> b"]])
    found = codes(design, "BP114")
    assert [f.path for f in found] == [("components", 2)] and found[0].severity == "note"
    assert codes(make(["a:service", "mon:monitoring"]), "BP114") == []


def test_component_used_in_a_stage_is_on_a_flow() -> None:
    design = make(
        ["a:service", "b:service", "old:service"],
        [["a -> b"]],
        stages=[{"id": "s1", "title": "first", "add": ["a", "old"], "steps": ["a -> old"]}],
    )
    assert codes(design, "BP114") == []


# --- BP115 client straight to a database ------------------------------------------------------------------------


def test_client_to_database_fires() -> None:
    design = make(["phone:mobile", "db:nosql"], [["phone -> db: GET item"]])
    assert [f.path for f in codes(design, "BP115")] == [("flows", 0, "steps", 0)]


def test_client_through_service_is_fine() -> None:
    design = make(
        ["phone:mobile", "api:service", "db:nosql", "s3:object_store"], [["phone -> api", "api -> db", "phone -> s3"]]
    )
    assert codes(design, "BP115") == []


# --- BP116 write to a read replica ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["INSERT INTO urls", "UPDATE balance", "save order", "POST /orders", "write row"])
def test_write_to_replica_fires(label: str) -> None:
    design = make(
        ["app:service", "db:sql", {"id": "ro", "label": "read replica", "kind": "sql"}], [[f"app -> ro: {label}"]]
    )
    found = codes(design, "BP116")
    assert [f.path for f in found] == [("flows", 0, "steps", 0)] and found[0].severity == "error"


@pytest.mark.parametrize(
    "step",
    ["app -> ro: SELECT * FROM urls", "app -> ro: GET /post/1", "db => ro: replicate writes", "app -> db: INSERT"],
)
def test_reads_and_replication_to_replica_are_fine(step: str) -> None:
    design = make(["app:service", "db:sql", {"id": "ro", "label": "read replica", "kind": "sql"}], [[step]])
    assert codes(design, "BP116") == []


def test_replica_set_is_not_a_read_replica() -> None:
    design = make(["app:service", {"id": "mongo", "label": "replica set", "kind": "nosql"}], [["app -> mongo: INSERT"]])
    assert codes(design, "BP116") == []


# --- BP117 cycle of synchronous calls ---------------------------------------------------------------------------


def test_sync_cycle_fires_once_at_the_closing_step() -> None:
    design = make(["a:service", "b:service", "c:service"], [["a -> b", "b -> c", "c -> a: callback", "c -> a: again"]])
    found = codes(design, "BP117")
    assert [f.path for f in found] == [("flows", 0, "steps", 2)]
    assert found[0].message.endswith("on flow 'f0': c -> a -> b -> c")


def test_replies_self_calls_and_async_backs_are_not_cycles() -> None:
    design = make(
        ["a:service", "b:service", "q:queue"],
        [["a -> b", "b --> a: reply", "a -> a: validate", "b ~> q", "q ~> a"]],
    )
    assert codes(design, "BP117") == []


def test_cycle_across_separate_flows_is_not_reported() -> None:
    design = make(["a:service", "b:service"], [["a -> b"], ["b -> a"]])
    assert codes(design, "BP117") == []


def test_cycle_across_two_arms_of_an_alt_is_not_reported_but_within_one_arm_is() -> None:
    arms = {"alt": [{"when": "online", "steps": ["a -> b: push"]}, {"when": "offline", "steps": ["b -> a: pull"]}]}
    assert codes(make(["a:service", "b:service"], [[arms]]), "BP117") == []
    one_arm = {
        "alt": [{"when": "online", "steps": ["a -> b: push", "b -> a: pull"]}, {"when": "x", "steps": ["a -> b"]}]
    }
    assert len(codes(make(["a:service", "b:service"], [[one_arm]]), "BP117")) == 1


# --- BP118 cache without expiry ---------------------------------------------------------------------------------


def test_cache_without_expiry_fires() -> None:
    design = make(["app:service", "c:cache"], [["app -> c: GET key"]])
    assert [f.path for f in codes(design, "BP118")] == [("components", 1)]


@pytest.mark.parametrize(
    ("cache", "step"),
    [
        ({"id": "c", "kind": "cache", "expiry": "24h"}, "app -> c: GET"),
        ({"id": "c", "kind": "cache", "notes": "keys expire after a day"}, "app -> c: GET"),
        ({"id": "c", "kind": "cache"}, "app -> c: SET key EX 3600"),
        ({"id": "c", "kind": "cache"}, "app -> c: invalidate on write"),
        ({"id": "c", "kind": "cache", "notes": "a 5 min TTL"}, "app -> c: GET"),
    ],
)
def test_cache_with_expiry_is_fine(cache: dict[str, Any], step: str) -> None:
    assert codes(make(["app:service", cache], [[step]]), "BP118") == []


def test_cache_expiry_in_design_notes() -> None:
    design = make(["app:service", "c:cache"], [["app -> c"]], notes=["c: TTL of one hour"])
    assert codes(design, "BP118") == []


# --- BP119 load balancer bypass ---------------------------------------------------------------------------------


def lb_design(*extra_steps: str) -> Design:
    return make(
        [
            "user:client",
            {"id": "lb", "kind": "load_balancer", "replicas": 2},
            {"id": "web1", "kind": "service", "group": "web"},
            {"id": "web2", "kind": "service", "group": "web"},
            {"id": "db", "kind": "sql", "group": "web"},
            "cron:scheduler",
        ],
        [["user -> lb", "lb -> web1", "web1 -> web2: peer", "web1 -> db", *extra_steps]],
        groups=[{"id": "web"}],
    )


def test_lb_bypass_fires_for_a_tier_member_reached_from_outside() -> None:
    found = codes(lb_design("user -> web2: direct", "cron -> web1: nightly"), "BP119")
    assert [f.path for f in found] == [("flows", 0, "steps", 4), ("flows", 0, "steps", 5)]
    assert "'lb'" in found[0].message


def test_lb_bypass_quiet_for_intra_tier_and_other_kinds() -> None:
    assert codes(lb_design("cron -> db: vacuum", "web2 --> user: reply"), "BP119") == []


def test_lb_bypass_quiet_for_a_batch_job_reading_each_instances_logs() -> None:
    assert codes(lb_design("cron -> web1: collect access logs", "cron -> web2: scrape metrics"), "BP119") == []


# --- suppression ------------------------------------------------------------------------------------------------


def test_component_suppression_with_reason_silences() -> None:
    design = make(
        ["app:service", {"id": "c", "kind": "cache", "suppress": {"BP118": "immutable keys"}}], [["app -> c"]]
    )
    assert codes(design, "BP118") == [] and codes(design, "BP100") == []


def test_design_suppression_with_reason_silences_everywhere() -> None:
    design = make(["app:service", "c:cache", "d:cache"], [["app -> c", "app -> d"]], suppress={"BP118": "demo"})
    assert codes(design, "BP118") == []


def test_suppression_without_reason_is_a_finding_and_silences_nothing() -> None:
    design = make(["app:service", {"id": "c", "kind": "cache", "suppress": {"BP118": "  "}}], [["app -> c"]])
    found = codes(design)
    assert ("BP100", ("components", 1, "suppress", "BP118")) in [(f.code, f.path) for f in found]
    assert [f.path for f in found if f.code == "BP118"] == [("components", 1)]


def test_design_level_empty_reason() -> None:
    design = make(["a:service"], suppress={"BP114": ""})
    assert [(f.code, f.path) for f in codes(design)] == [("BP100", ("suppress", "BP114"))]


def test_unknown_and_unused_suppressions() -> None:
    design = make(
        [{"id": "app", "kind": "service", "replicas": 2, "suppress": {"BP11": "typo", "BP118": "not a cache"}}],
        [["app -> app: self"]],
    )
    found = [(f.code, f.path) for f in codes(design)]
    assert ("BP101", ("components", 0, "suppress", "BP11")) in found
    assert ("BP102", ("components", 0, "suppress", "BP118")) in found


def test_suppression_applies_to_message_findings_through_their_components() -> None:
    design = make(["a:service", {"id": "b", "kind": "worker", "suppress": {"BP112": "best effort"}}], [["a ~> b"]])
    assert codes(design, "BP112") == []


def test_ignore_skips_rules() -> None:
    design = make(["app:service", "c:cache"], [["app -> c"]])
    assert "BP118" not in [f.code for f in lint(design, ignore={"BP118"})]


# --- order, determinism and output ------------------------------------------------------------------------------


def busy_design() -> Design:
    return make(
        ["c:client", "app:service", "cache:cache", "db:sql", "q:queue", "w:worker", "x:service"],
        [["c -> app", "app -> cache", "c -> db: SELECT", "app ~> w", "app ~> q"], ["w -> app", "app -> w"]],
        requirements={"non_functional": ["highly available"]},
    )


def test_findings_are_sorted_and_deterministic() -> None:
    first = lint(busy_design())
    assert first == lint(busy_design())
    keys = [(tuple((isinstance(p, str), p) for p in f.path), f.code) for f in first]
    assert keys == sorted(keys)
    assert {f.code for f in first} >= {"BP110", "BP111", "BP112", "BP113", "BP114", "BP115", "BP117", "BP118"}


def test_format_path_and_str() -> None:
    assert format_path(("flows", 0, "steps", 2, "branches", 1)) == "flows[0].steps[2].branches[1]"
    finding = Finding("BP110", "warning", ("components", 0), "m", "h")
    assert str(finding) == "components[0]: warning BP110: m (h)"
    diag = to_diagnostic(finding, Location("d.yaml", 4, 3))
    assert str(diag) == "d.yaml:4:3: warning BP110: m (h)"


def located() -> list[tuple[Finding, str, int, int]]:
    return [(f, "designs\\shop.yaml", i + 1, 3) for i, f in enumerate(lint(busy_design()))]


def test_to_json() -> None:
    doc = json.loads(to_json(located()))
    assert doc["counts"]["error"] >= 1 and sum(doc["counts"].values()) == len(doc["findings"])
    first = doc["findings"][0]
    assert set(first) == {"code", "severity", "title", "message", "hint", "file", "line", "column", "path"}


def test_to_sarif_structure() -> None:
    log = json.loads(to_sarif(located(), tool_version="1.2.3"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "blueprint" and driver["version"] == "1.2.3"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == list(RULES)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"] in (
            "error",
            "warning",
            "note",
        )
        assert rule["name"].isidentifier()
    assert len(run["results"]) == len(located())
    for result in run["results"]:
        assert result["level"] in ("error", "warning", "note")
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
        (loc,) = result["locations"]
        physical = loc["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "designs/shop.yaml"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] == 3


def test_to_sarif_empty_is_valid() -> None:
    log = json.loads(to_sarif([]))
    assert log["runs"][0]["results"] == []


def test_spof_quiet_for_components_redundant_with_each_other() -> None:
    design = make(
        [
            "c:client",
            "lb:load_balancer",
            {"id": "app-a", "kind": "service"},
            {"id": "app-b", "kind": "service", "redundant_with": "app-a"},
            {"id": "db", "kind": "sql"},
            {"id": "db-b", "kind": "sql", "redundant_with": ["db"]},
        ],
        [["c -> lb", "lb -> app-a", "lb -> app-b", "app-a -> db"]],
        requirements={"non_functional": ["High availability"]},
    )
    assert [f.message.split("'")[1] for f in codes(design, "BP110")] == ["lb"]
    assert codes(design, "BP111") == [], "a database with a redundant peer has a copy"


# --- BP120-BP122 charts -----------------------------------------------------------------------------------------


def chart_design(nodes: list[Any], edges: list[str], kind: str = "flowchart") -> Design:
    return make(["a:service"], charts=[{"id": "c", "title": "C", "kind": kind, "nodes": nodes, "edges": edges}])


def test_chart_rules_quiet_on_a_complete_flowchart() -> None:
    design = chart_design(
        [
            {"go": "go", "shape": "start"},
            {"q": "ok?", "shape": "decision"},
            {"y": "done", "shape": "end"},
            {"n": "fix it"},
        ],
        ["go -> q", "q -> y: yes", "q -> n: no", "n -> q"],
    )
    assert [f.code for f in lint(design) if f.code.startswith("BP12")] == []


def test_chart_rules_find_unreachable_nodes_one_answer_questions_and_dead_ends() -> None:
    design = chart_design(
        [
            {"go": "go", "shape": "start"},
            {"q": "ok?", "shape": "decision"},
            {"step": "do it"},
            {"lost": "left over"},
            {"end": "end", "shape": "end"},
        ],
        ["go -> q", "q -> step: yes", "lost -> end"],
    )
    found = {(f.code, f.path) for f in lint(design) if f.code.startswith("BP12")}
    assert found == {
        ("BP120", ("charts", 0, "nodes", 3)),  # lost: no path from go
        ("BP120", ("charts", 0, "nodes", 4)),  # end: only lost leads there
        ("BP121", ("charts", 0, "nodes", 1)),  # q: one answer
        ("BP122", ("charts", 0, "nodes", 2)),  # step: stops there
    }
    message = next(f.message for f in lint(design) if f.code == "BP121")
    assert message == "chart 'c': the question 'q' has 1 answer"


def test_a_state_machine_may_have_final_states_and_a_chart_without_start_is_not_walked() -> None:
    states = chart_design(
        [{"s": "", "shape": "start"}, {"on": "on", "shape": "state"}, {"gone": "deleted", "shape": "state"}],
        ["s -> on", "on -> gone"],
        kind="state",
    )
    assert [f.code for f in lint(states) if f.code.startswith("BP12")] == []
    no_start = chart_design([{"x": "x"}, {"y": "y", "shape": "end"}], ["x -> y"])
    assert [f.code for f in lint(no_start) if f.code.startswith("BP12")] == []


# --- BP123 prose ------------------------------------------------------------------------------------------------


def test_a_list_entry_split_from_its_sentence_is_found() -> None:
    design = make(
        ["a:service"],
        tradeoffs=[
            {
                "choice": "async",
                "instead_of": "sync",
                "pros": ["faster", "and cheaper"],  # a second bullet beginning 'and': the YAML split it
                "cons": ["it is slower to debug, which users notice"],  # quoted: one entry
            }
        ],
        next_scale=["shard it", "then replicate it"],
    )
    found = {(f.code, f.path) for f in lint(design) if f.code == "BP123"}
    assert found == {("BP123", ("tradeoffs", 0, "pros", 1)), ("BP123", ("next_scale", 1))}
    message = next(f.message for f in lint(design) if f.code == "BP123" and f.path[0] == "tradeoffs")
    assert message == "'and cheaper' starts with 'and': it reads as the end of the entry before"


def test_a_first_entry_or_a_word_that_only_begins_like_one_is_not_a_split() -> None:
    design = make(["a:service"], next_scale=["and so on first", "sort the keys", "orchestrate the jobs"])
    assert [f for f in lint(design) if f.code == "BP123"] == []
