"""``blueprint new``: scaffold a design file, from a commented skeleton or as a copy of another design."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.build.io import DESIGN_SUFFIXES, display_path
from generator.build.pipeline import load_design, parse_design
from generator.errors import BlueprintError, DesignError
from generator.frontend.hints import did_you_mean, slug
from generator.frontend.vocabulary import ID_PATTERN

__all__ = ["NewDesign", "copy_text", "humanize", "run_new", "skeleton"]

_ID = re.compile(ID_PATTERN)
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}
_MODELINE = re.compile(r"^(# yaml-language-server: \$schema=)(\S+)[ \t]*$", re.MULTILINE)


class NewDesignError(BlueprintError):
    """A design could not be scaffolded: a bad name, a file in the way, or an unknown design to copy."""


@dataclass(frozen=True)
class NewDesign:
    """A scaffolded design file: where it went and what it was copied from, if anything."""

    path: Path
    copied_from: Path | None = None

    def summary(self) -> str:
        """One line for the terminal, with the command that builds the new design."""
        shown = display_path(self.path)
        origin = f" (a copy of {display_path(self.copied_from)})" if self.copied_from else ""
        return f"created {shown}{origin}; build it with: blueprint build {shown}"


def humanize(name: str) -> str:
    """A title from an id.

    >>> humanize("chat-service_v2")
    'Chat service v2'
    """
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:]


def _yaml_text(value: str) -> str:
    """A one-line YAML scalar: plain when that reads back as the same text, else double-quoted.

    >>> _yaml_text("Chat service"), _yaml_text("No"), _yaml_text("a: b")
    ('Chat service', '"No"', '"a: b"')
    """
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 _().,-]*", value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


def skeleton(name: str, *, schema: str | None = "../output/schema.json", with_id: bool = False) -> str:
    """A commented design file that validates and builds as it is.

    Args:
        name: The design's id (its file name).
        schema: The JSON Schema's path relative to the design's folder, for the editor's modeline; None for none.
        with_id: Write ``id:`` (needed when the file name's slug is not the id, e.g. for capitals).
    """
    modeline = f"# yaml-language-server: $schema={schema}\n" if schema else ""
    title = _yaml_text(humanize(name))
    ident = f"id: {name}\n" if with_id else ""
    return f"""{modeline}# A blueprint design: {name}. Every field is described in the README under "The design file".
# Unknown fields are errors, so a typo never passes silently. Build it with:
#   blueprint build designs/{name}.yaml      (or: make course)

{ident}title: {title}
# lesson: 1                        # the course lesson it belongs to; the index groups designs by lesson
summary: >-
  What the system does, for whom, and the one idea that makes the design work.
direction: LR                      # LR: left to right; TB: top to bottom

components:                        # the boxes; groups and steps refer to them by id
  - id: client
    kind: client                   # what it is decides the drawing: client, service, cache, sql, queue, ...
  - id: lb
    label: load balancer           # drawn under the box (default: the id)
    kind: load_balancer
    replicas: 2                    # drawn as a stack
  - id: app
    label: app servers
    kind: service
    replicas: 3
    group: backend
  - id: cache
    kind: cache
    tech: Redis                    # a small handwritten tag on the drawing
    replicas: 2
    expiry: 1 h TTL, LRU eviction  # how entries expire
    group: backend
  - id: db
    label: database
    kind: sql
    tech: PostgreSQL
    standby: true                  # a standby takes over when the primary fails
    group: backend
  - id: queue
    label: job queue
    kind: queue
  - id: worker
    label: workers
    kind: worker
    replicas: 2
    notes: Sends the e-mails and resizes the pictures, off the request path.

groups:                            # dashed frames around components
  - id: backend
    label: backend (one region)
    kind: tier                     # tier, zone, region, datacenter, pool, boundary, cluster

flows:                             # numbered steps between components
  - id: read
    title: Read an item
    steps:
      - client -> lb: GET /items/42          # compact form: from -> to: label
      - lb -> app: route
      - app -> cache: get item:42
      - opt: on a cache miss                 # a fragment: opt, alt, loop, par, critical
        steps:
          - app -> db: SELECT the item
          - app -> cache: set item:42
      - app --> client: 200 OK               # arrows: -> request, --> response, ~> async,
  - id: write                                #         => replication, ..> heartbeat
    title: Create an item
    steps:
      - client -> lb: POST /items
      - lb -> app: route
      - app -> db: INSERT the item
      - app ~> queue: item created
      - app --> client: 201 Created
      - queue ~> worker: consume the job

requirements:
  functional:
    - Read an item by its id.
    - Create an item.
  non_functional:
    - Reads within 50 ms at the 99th percentile.
    - Keep serving reads when one server fails.
  out_of_scope:
    - Search across items.

estimates:                         # back-of-the-envelope inputs; blueprint works out rates and storage
  daily_active_users: 1M
  reads_per_user_per_day: 20
  writes_per_user_per_day: 2
  record_size: 1 KB                # bytes stored per write
  retention: 5 years

tradeoffs:
  - choice: a cache in front of the database
    instead_of: reading from the database every time
    pros: [most reads take a millisecond, the database carries the writes]
    cons: [a read can be stale until the entry expires]

charts:                            # flowcharts and state machines, drawn with the same pen
  - id: cache-read
    title: Reading through the cache
    nodes:                         # - id: label, with a shape unless it is an action
      - {{get: GET /items/42, shape: start}}
      - {{hit: in the cache?, shape: decision}}
      - {{load: "SELECT from the database, then set the cache"}}
      - {{done: 200 OK, shape: end}}
    edges:                         # like steps; a dashed arrow (-->) is the unhappy path, in red
      - get -> hit
      - hit -> done: yes
      - hit -> load: no
      - load -> done

notes:
  - Replace this skeleton with your design; `blueprint validate` says what is wrong, line by line.
"""


def _replace_top_level(text: str, key: str, value: str) -> tuple[str, bool]:
    """Replace a top-level ``key:`` and its value's continuation lines with ``key: value``.

    >>> _replace_top_level("id: a\\ntitle: >-\\n  Long\\n  text\\nlesson: 1\\n", "title", "New")
    ('id: a\\ntitle: New\\nlesson: 1\\n', True)
    """
    lines = text.splitlines(keepends=True)
    for start, line in enumerate(lines):
        if re.match(rf"{re.escape(key)}\s*:(\s|$)", line):
            end = start + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1  # keep blank lines that separate sections
            return "".join([*lines[:start], f"{key}: {value}\n", *lines[end:]]), True
    return text, False


def copy_text(text: str, *, name: str, title: str, with_id: bool = False) -> str:
    """A design's text with its id set to ``name`` (or left to the file name) and its title replaced.

    Comments and layout are kept; only the top-level ``id:`` and ``title:`` entries change.

    >>> copy_text("id: a\\ntitle: A\\ncomponents: [{id: x}]\\n", name="b", title="A (copy)")
    'id: b\\ntitle: A (copy)\\ncomponents: [{id: x}]\\n'
    >>> copy_text("title: A\\n", name="B", title="A (copy)", with_id=True)
    'id: B\\ntitle: A (copy)\\n'
    """
    text, has_id = _replace_top_level(text, "id", name)
    text, _ = _replace_top_level(text, "title", _yaml_text(title))
    if with_id and not has_id:
        text = re.sub(r"(?m)^title\s*:", f"id: {name}\ntitle:", text, count=1)
    return text


def _find_source(ref: str, folder: Path) -> Path:
    """The design file ``--from`` names: a path, or the name of a design in the designs folder."""
    given = Path(ref)
    if given.is_file():
        return given
    for suffix in DESIGN_SUFFIXES:
        candidate = folder / f"{ref}{suffix}"
        if candidate.is_file():
            return candidate
    names = sorted(p.stem for p in folder.glob("*") if p.suffix in DESIGN_SUFFIXES) if folder.is_dir() else []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.suffix in DESIGN_SUFFIXES and re.search(
            rf"(?m)^id:\s*['\"]?{re.escape(ref)}['\"]?\s*(#.*)?$", path.read_text("utf-8", "replace")
        ):
            return path
    hint = did_you_mean(ref, names)
    known = f"; the designs there: {', '.join(names)}" if names else ""
    raise NewDesignError(
        f"--from {ref}: no such file, and no design '{ref}' in {display_path(folder)}/"
        + (f" ({hint})" if hint else known)
    )


def _move_modeline(text: str, *, source_dir: Path, target_dir: Path) -> str:
    """Re-point a relative ``$schema=`` modeline so it still finds the schema from the new file's folder."""

    def fix(match: re.Match[str]) -> str:
        ref = match[2]
        if "://" in ref or ref.startswith("/"):
            return match[0]
        schema = (source_dir / ref).resolve()
        return match[1] + Path(os.path.relpath(schema, target_dir.resolve())).as_posix()

    return _MODELINE.sub(fix, text, count=1)


def _check(text: str, *, path: Path, name: str, title: str | None) -> None:
    """Make sure the new file's text is a valid design with the expected id and title."""
    design, errors = parse_design(text.encode("utf-8"), path=display_path(path), default_id=slug(name))
    if design is None:
        raise DesignError(errors)
    if design.id != name or (title is not None and design.title != title):
        raise NewDesignError(
            f"{display_path(path)}: could not set the copy's id and title (a top-level 'id:' and 'title:' line "
            "were expected); copy the file by hand"
        )


def run_new(name: str, *, from_: str | None = None, folder: Path = Path("designs")) -> NewDesign:
    """Write ``folder/name.yaml``: the skeleton, or a copy of another design with its id and title adjusted.

    Args:
        name: The new design's id, also its file name.
        from_: A design to copy: a path, or the name of a design in ``folder``.
        folder: Where design files live.

    Raises:
        NewDesignError: The name is not a valid id, the file (or a design with that id) exists, or ``from_``
            names no design.
        DesignError: The design to copy is invalid.
    """
    if not _ID.match(name):
        raise NewDesignError(
            f"'{name}' is not a valid design id: start with a letter, then use letters, digits, '-' or '_' "
            "(at most 64 characters), e.g. 'chat-service'"
        )
    target = folder / f"{name}.yaml"
    for suffix in DESIGN_SUFFIXES:
        existing = folder / f"{name}{suffix}"
        if existing.exists():
            raise NewDesignError(f"{display_path(existing)} already exists; choose another name or edit it")
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if (
                path.suffix in DESIGN_SUFFIXES
                and path.is_file()
                and re.search(
                    rf"(?m)^id:\s*['\"]?{re.escape(name)}['\"]?\s*(#.*)?$", path.read_text("utf-8", "replace")
                )
            ):
                raise NewDesignError(f"{display_path(path)} already has the id '{name}'; choose another name")
    with_id = slug(name) != name
    source: Path | None = None
    title: str | None = None
    if from_ is None:
        schema = Path(os.path.relpath(Path("output/schema.json").resolve(), folder.resolve())).as_posix()
        text = skeleton(name, schema=schema, with_id=with_id)
    else:
        source = _find_source(from_, folder)
        original = load_design(source, shown_as=display_path(source))
        title = f"{original.title} (copy)"
        text = copy_text(source.read_text("utf-8"), name=name, title=title, with_id=with_id)
        text = _move_modeline(text, source_dir=source.parent, target_dir=folder)
    _check(text, path=target, name=name, title=title)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise NewDesignError(f"{display_path(target)} already exists; choose another name or edit it") from None
    return NewDesign(target, source)
