"""Cross-reference checks on a design's plain data: ids unique, every step, group, stage and view naming what
exists, no group inside itself, each error at its own key."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

from generator.errors import Diagnostic
from generator.frontend.hints import declare_hint, did_you_mean
from generator.frontend.load import SourceMap
from generator.frontend.model import parse_arrow

__all__ = ["raw_messages", "reference_errors"]


def reference_errors(data: dict[str, Any], src: SourceMap) -> Iterator[Diagnostic]:
    components = data.get("components")
    groups = data.get("groups")
    flows = data.get("flows")
    comp_ids = yield from _unique_ids(components, "components", "component", src)
    group_ids = yield from _unique_ids(groups, "groups", "group", src)
    flow_ids = yield from _unique_ids(flows, "flows", "flow", src)
    yield from _unique_ids(data.get("stages"), "stages", "stage", src)
    yield from _stage_errors(data, comp_ids, src)
    yield from _view_errors(data, flow_ids, src)
    yield from _chart_errors(data.get("charts"), src)
    yield from _timeline_errors(data.get("timelines"), src)

    for i, comp in _entries(components):
        group = comp.get("group")
        if isinstance(group, str) and group not in group_ids:
            yield Diagnostic(
                src.locate(("components", i, "group")),
                f"component '{comp.get('id')}' is in group '{group}', which is not a group",
                hint=did_you_mean(group, group_ids) or declare_hint("groups", group_ids),
            )
        peers = comp.get("redundant_with")
        listed = [peers] if isinstance(peers, str) else peers if isinstance(peers, list) else []
        for j, peer in enumerate(listed):
            where = (
                ("components", i, "redundant_with")
                if isinstance(peers, str)
                else ("components", i, "redundant_with", j)
            )
            if not isinstance(peer, str):
                continue
            if peer == comp.get("id"):
                yield Diagnostic(
                    src.locate(where),
                    f"component '{peer}' is listed as redundant with itself",
                    hint="name the other copies of it: 'redundant_with: [app-b]'; for copies of one box use 'replicas'",
                )
            elif peer not in comp_ids:
                yield Diagnostic(
                    src.locate(where),
                    f"component '{comp.get('id')}' is redundant with '{peer}', which is not a component",
                    hint=did_you_mean(peer, comp_ids) or declare_hint("components", comp_ids),
                )
    parents: dict[str, str] = {}
    for i, group in _entries(groups):
        parent = group.get("parent")
        gid = group.get("id")
        if not isinstance(parent, str):
            continue
        if parent not in group_ids:
            yield Diagnostic(
                src.locate(("groups", i, "parent")),
                f"group '{gid}' has parent '{parent}', which is not a group",
                hint=did_you_mean(parent, group_ids) or declare_hint("groups", group_ids),
            )
        elif isinstance(gid, str):
            parents[gid] = parent
    yield from _group_cycles(parents, groups, src)

    for f, flow in _entries(flows):
        steps = flow.get("steps")
        messages = list(raw_messages(steps, ("flows", f, "steps")))
        yield from _unknown_ends(
            messages,
            comp_ids,
            src,
            f"a step of flow '{flow.get('id')}'",
            roles=("comes from", "goes to"),
            target="a component",
            section="components",
        )
        spared = flow.get("optional")
        for i, ident in enumerate(spared if isinstance(spared, list) else []):
            if isinstance(ident, str) and ident not in comp_ids:
                yield Diagnostic(
                    src.locate(("flows", f, "optional", i)),
                    f"flow '{flow.get('id')}' lists '{ident}' as optional, which is not a component",
                    hint=did_you_mean(ident, comp_ids) or declare_hint("components", comp_ids),
                )
        taken = flow.get("take")
        if isinstance(taken, list):
            arms = sorted(set(_arms(steps)))
            for i, when in enumerate(taken):
                if isinstance(when, str) and when not in arms:
                    yield Diagnostic(
                        src.locate(("flows", f, "take", i)),
                        f"flow '{flow.get('id')}' takes the arm '{when}', which is no arm of its alt fragments",
                        hint=did_you_mean(when, arms)
                        or (f"its arms are {', '.join(arms)}" if arms else "the flow has no 'alt' fragment"),
                    )
        named = flow.get("participants")
        if isinstance(named, list):
            for i, ident in enumerate(named):
                if isinstance(ident, str) and ident not in comp_ids:
                    yield Diagnostic(
                        src.locate(("flows", f, "participants", i)),
                        f"flow '{flow.get('id')}' lists participant '{ident}', which is not a component",
                        hint=did_you_mean(ident, comp_ids) or declare_hint("components", comp_ids),
                    )
        if flow.get("replies") is True and messages:
            caller = messages[0][1].get("from")
            if not any(msg.get("to") == caller for _, msg in messages[1:]):
                yield Diagnostic(
                    src.locate(("flows", f, "replies")),
                    f"flow '{flow.get('id')}' declares replies but never returns to its caller '{caller}'",
                    hint=f"end it with a step such as '... --> {caller}: response'",
                )


def _chart_errors(charts: Any, src: SourceMap) -> Iterator[Diagnostic]:
    """Repeated chart or node ids, and arrows between nodes the chart does not have."""
    yield from _unique_ids(charts, "charts", "chart", src)
    for c, chart in _entries(charts):
        nodes: dict[str, int] = {}
        raw_nodes = chart.get("nodes")
        for n, node in enumerate(raw_nodes if isinstance(raw_nodes, list) else []):
            if not isinstance(node, dict):
                continue
            key = "id" if "id" in node else next((k for k in node if k not in ("label", "shape")), None)
            ident = node.get("id") if key == "id" else key
            if not isinstance(ident, str):
                continue
            where = ("charts", c, "nodes", n, "id") if key == "id" else ("charts", c, "nodes", n)
            if ident in nodes:
                first = src.locate(("charts", c, "nodes", nodes[ident]))
                yield Diagnostic(
                    src.locate(where),
                    f"chart '{chart.get('id')}' declares node '{ident}' twice (first at line {first.line})",
                    hint="give each node of a chart its own id",
                )
            else:
                nodes[ident] = n
        yield from _unknown_ends(
            list(raw_messages(chart.get("edges"), ("charts", c, "edges"))),
            set(nodes),
            src,
            f"an arrow of chart '{chart.get('id')}'",
            roles=("starts at", "goes to"),
            target="one of its nodes",
            section="nodes",
        )


def _timeline_errors(timelines: Any, src: SourceMap) -> Iterator[Diagnostic]:
    """Repeated time-line ids, items in lanes the time-line does not declare, and items off its axis."""
    yield from _unique_ids(timelines, "timelines", "time-line", src)
    for t, timeline in _entries(timelines):
        lanes = timeline.get("lanes")
        declared = [lane for lane in lanes if isinstance(lane, str)] if isinstance(lanes, list) else []
        first, last = timeline.get("start"), timeline.get("end")
        items = timeline.get("items")
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            lane = item.get("lane")
            if declared and isinstance(lane, str) and lane not in declared and item.get("kind") != "window":
                yield Diagnostic(
                    src.locate(("timelines", t, "items", i, "lane")),
                    f"time-line '{timeline.get('id')}' has no lane '{lane}'",
                    hint=did_you_mean(lane, declared) or f"its lanes are {', '.join(declared)}",
                )
            for key in ("at", "start", "end"):
                value = item.get(key)
                if not isinstance(value, int | float) or isinstance(value, bool):
                    continue
                outside = (isinstance(first, int | float) and value < first) or (
                    isinstance(last, int | float) and value > last
                )
                if outside:
                    yield Diagnostic(
                        src.locate(("timelines", t, "items", i, key)),
                        f"'{item.get('label')}' is at {value:g}, off the axis of time-line '{timeline.get('id')}' "
                        f"({first if first is not None else '…'} to {last if last is not None else '…'})",
                        hint="move it onto the axis, or widen the axis with 'start' and 'end'",
                    )


def _unknown_ends(
    messages: list[tuple[tuple[str | int, ...], dict[str, Any]]],
    known: set[str],
    src: SourceMap,
    what: str,
    *,
    roles: tuple[str, str],
    target: str,
    section: str,
) -> Iterator[Diagnostic]:
    """A diagnostic for each end of a step or arrow that names nothing in ``known``, at that end's position."""
    for path, msg in messages:
        for end, role in zip(("from", "to"), roles, strict=True):
            name = msg.get(end)
            if isinstance(name, str) and name not in known:
                yield Diagnostic(
                    src.locate((*path, end)) if (*path, end) in src.values else src.locate(path),
                    f"{what} {role} '{name}', which is not {target}",
                    hint=did_you_mean(name, known) or declare_hint(section, known),
                )


def _stage_errors(data: dict[str, Any], comp_ids: set[str], src: SourceMap) -> Iterator[Diagnostic]:
    """Stages add, remove and change components that exist, in an order that makes sense."""
    present: set[str] = set()
    for s, stage in _entries(data.get("stages")):
        name = stage.get("id")
        for verb in ("add", "remove"):
            ids = stage.get(verb)
            if not isinstance(ids, list):
                continue
            for i, ident in enumerate(ids):
                if not isinstance(ident, str):
                    continue
                where = src.locate(("stages", s, verb, i))
                if ident not in comp_ids:
                    yield Diagnostic(
                        where,
                        f"stage '{name}' {'adds' if verb == 'add' else 'removes'} '{ident}', which is not a component",
                        hint=did_you_mean(ident, comp_ids) or declare_hint("components", comp_ids),
                    )
                elif verb == "add" and ident in present:
                    yield Diagnostic(where, f"stage '{name}' adds '{ident}', which an earlier stage already added")
                elif verb == "remove" and ident not in present:
                    yield Diagnostic(
                        where,
                        f"stage '{name}' removes '{ident}', which is not on the board at that stage",
                        hint=did_you_mean(ident, present) if present else "",
                    )
                if ident in comp_ids:
                    (present.add if verb == "add" else present.discard)(ident)
        for verb in ("fail", "recover"):
            ids = stage.get(verb)
            for i, ident in enumerate(ids if isinstance(ids, list) else []):
                if isinstance(ident, str) and ident not in present:
                    yield Diagnostic(
                        src.locate(("stages", s, verb, i)),
                        f"stage '{name}' {'fails' if verb == 'fail' else 'recovers'} '{ident}', which is not on the"
                        " board at that stage",
                        hint=did_you_mean(ident, present) or "add it in this or an earlier stage",
                    )
        change = stage.get("change")
        if isinstance(change, dict):
            for ident in change:
                if ident not in present:
                    yield Diagnostic(
                        src.locate(("stages", s, "change", ident), key=True),
                        f"stage '{name}' changes '{ident}', which is not on the board at that stage",
                        hint=did_you_mean(ident, present) or "add it in this or an earlier stage",
                    )
        for path, msg in raw_messages(stage.get("steps"), ("stages", s, "steps")):
            for end in ("from", "to"):
                ident = msg.get(end)
                if isinstance(ident, str) and ident in comp_ids and ident not in present:
                    yield Diagnostic(
                        src.locate(path),
                        f"a step of stage '{name}' uses '{ident}', which is not on the board at that stage",
                        hint="add it in this or an earlier stage",
                    )
                elif isinstance(ident, str) and ident not in comp_ids:
                    yield Diagnostic(
                        src.locate(path),
                        f"a step of stage '{name}' uses '{ident}', which is not a component",
                        hint=did_you_mean(ident, comp_ids) or declare_hint("components", comp_ids),
                    )


def _view_errors(data: dict[str, Any], flow_ids: set[str], src: SourceMap) -> Iterator[Diagnostic]:
    views = data.get("views")
    if not isinstance(views, dict):
        return
    for key in ("flows", "sequences"):
        chosen = views.get(key)
        if isinstance(chosen, list):
            for i, ident in enumerate(chosen):
                if isinstance(ident, str) and ident not in flow_ids:
                    yield Diagnostic(
                        src.locate(("views", key, i)),
                        f"views.{key} names '{ident}', which is not a flow",
                        hint=did_you_mean(ident, flow_ids) or declare_hint("flows", flow_ids),
                    )


def _entries(items: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _unique_ids(items: Any, section: str, noun: str, src: SourceMap) -> Generator[Diagnostic, None, set[str]]:
    """Yield a diagnostic per repeated id; return the set of ids."""
    seen: dict[str, int] = {}
    for i, item in _entries(items):
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = src.locate((section, seen[ident], "id"))
            yield Diagnostic(
                src.locate((section, i, "id")),
                f"duplicate {noun} id '{ident}' (first declared at line {first.line})",
                hint=f"give each {noun} its own id",
            )
        else:
            seen[ident] = i
    return set(seen)


def _group_cycles(parents: dict[str, str], groups: Any, src: SourceMap) -> Iterator[Diagnostic]:
    index = {item.get("id"): i for i, item in _entries(groups)}
    reported: set[str] = set()
    for start in sorted(parents):
        chain = [start]
        node = start
        while node in parents:
            node = parents[node]
            if node in chain:
                cycle = chain[chain.index(node) :]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    first = min(cycle, key=lambda g: index.get(g, 0))
                    yield Diagnostic(
                        src.locate(("groups", index.get(first, 0), "parent")),
                        "groups form a cycle: "
                        + " -> ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first]),
                        hint="a group cannot be inside itself; remove one 'parent'",
                    )
                break
            chain.append(node)


def raw_messages(steps: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    if not isinstance(steps, list):
        return
    for i, step in enumerate(steps):
        here = (*path, i)
        if isinstance(step, str):
            parsed = parse_arrow(step)
            if parsed:
                yield here, parsed
        elif isinstance(step, dict):
            if len(step) == 1 and (parsed := parse_arrow(str(next(iter(step))))) is not None:
                yield here, parsed
            elif "step" in step and isinstance(step["step"], str):
                parsed = parse_arrow(step["step"])
                if parsed:
                    yield here, parsed
            elif "from" in step or "to" in step:
                yield here, step
            else:
                yield from raw_messages(step.get("steps"), (*here, "steps"))
                branches = step.get("branches", step.get("alt"))
                if isinstance(branches, list):
                    key = "branches" if "branches" in step else "alt"
                    for b, branch in enumerate(branches):
                        if isinstance(branch, dict):
                            yield from raw_messages(branch.get("steps"), (*here, key, b, "steps"))


def _arms(steps: Any) -> Iterator[str]:
    """The ``when`` of every arm of every ``alt`` in a flow's raw steps, nested ones included."""
    if not isinstance(steps, list):
        return
    for step in steps:
        if not isinstance(step, dict):
            continue
        branches = step.get("alt") if isinstance(step.get("alt"), list) else step.get("branches")
        for arm in branches if isinstance(branches, list) else []:
            if isinstance(arm, dict):
                if isinstance(arm.get("when"), str):
                    yield arm["when"]
                yield from _arms(arm.get("steps"))
        yield from _arms(step.get("steps"))
