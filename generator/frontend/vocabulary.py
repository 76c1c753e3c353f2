"""One table per vocabulary: component kinds (with every fact about each), theme names, ids and length limits.

Every other module looks a kind up here instead of keeping a table of its own, so adding a kind is one row of
:data:`KIND_TABLE` (plus its drawing in :mod:`generator.render.shapes` when it needs a new one); a test fails
when a kind lacks any column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, get_args

__all__ = [
    "COMPONENT_LABEL_MAX",
    "CYLINDERS",
    "FAMILIES",
    "ID_MAX",
    "ID_PATTERN",
    "KINDS",
    "KIND_TABLE",
    "ROLES",
    "SHORT_TEXT_MAX",
    "STEP_LABEL_MAX",
    "TEXT_MAX",
    "THEME_NAMES",
    "Kind",
    "KindInfo",
    "ThemeName",
    "kind_alias",
    "kind_info",
]

ID_MAX = 64
"""The longest id, in characters."""

ID_PATTERN = rf"^[A-Za-z][A-Za-z0-9_-]{{0,{ID_MAX - 1}}}$"
"""Ids are short slugs: a letter, then letters, digits, ``_`` or ``-``."""

SHORT_TEXT_MAX = 200
"""The longest label, title or other one-line text, in characters."""

TEXT_MAX = 4000
"""The longest paragraph (a summary, a note, a deep dive), in characters."""

STEP_LABEL_MAX = 80
"""The longest step label: it is drawn beside its arrow, wrapped at 30 characters, so three lines at most."""

COMPONENT_LABEL_MAX = 60
"""The longest component label: it is drawn under the drawing, wrapped at 22 characters."""

ThemeName = Literal["whiteboard", "blackboard", "clean"]
"""The themes a design can be drawn in, the default first."""

THEME_NAMES: tuple[str, ...] = get_args(ThemeName)
"""The theme names as a tuple, the default first."""

FAMILIES = ("people", "network", "compute", "batch", "cache", "data", "storage", "messaging", "external")
"""Colour families: each theme gives each family one colour, as the reference courses colour their boxes."""

ROLES = frozenset({"client", "database", "messaging", "spof", "outside", "connection", "ops"})
"""What the reviewer and the availability maths know about a kind:

- ``client``: a browser, a phone or a person, the start of a flow;
- ``outside``: outside the system, counted as always up and free in availability and latency;
- ``database``: a datastore the design's data lives in (a cylinder);
- ``messaging``: a broker that stores messages until they are consumed;
- ``spof``: one instance of it on a flow is a single point of failure worth flagging;
- ``connection``: it holds long-lived client connections (WebSocket frames travel over them, no broker needed);
- ``ops``: a batch or operations job that reaches instances directly on purpose (to read logs, scrape metrics).
"""


@dataclass(frozen=True)
class KindInfo:
    """Everything blueprint knows about one kind of component.

    Attributes:
        name: The kind as a design writes it.
        description: What it is, for the README, the schema and editors.
        drawing: What it is drawn as (its drawing in :mod:`generator.render.shapes` has the same name).
        family: Its colour family (one of :data:`FAMILIES`).
        availability: The availability of one instance, as a fraction.
        latency_ms: The latency of one call, a round trip inside one data centre included.
        roles: Which of :data:`ROLES` it plays.
        aliases: Other words people write for it (a hint suggests the kind).
        node_class: The `diagrams` library node class standing for it in the DOT (module path, class name).
    """

    name: str
    description: str
    drawing: str
    family: str
    availability: float
    latency_ms: float
    roles: frozenset[str]
    aliases: tuple[str, ...]
    node_class: str

    @property
    def explained(self) -> str:
        """The description with the drawing, as editors show it.

        >>> kind_info("cache").explained
        'an in-memory cache such as Redis or Memcached (drawn as a cylinder with a bolt)'
        """
        return f"{self.description} (drawn as {self.drawing})"


def _row(
    name: str,
    description: str,
    drawing: str,
    family: str,
    availability: float,
    latency_ms: float,
    roles: str = "",
    aliases: str = "",
    node_class: str = "generic.blank.Blank",
) -> KindInfo:
    return KindInfo(
        name, description, drawing, family, availability, latency_ms, frozenset(roles.split()), tuple(aliases.split()),
        node_class,
    )  # fmt: skip


KIND_TABLE: tuple[KindInfo, ...] = (
    # name, what it is, drawn as, colour family, availability, latency (ms), roles, aliases, diagrams class
    _row("client", "a browser or desktop app", "a laptop", "people", 1.0, 0.0,
         "client outside", "browser", "onprem.client.Client"),
    _row("user", "a person", "a stick figure", "people", 1.0, 0.0, "client outside", "", "onprem.client.User"),
    _row("mobile", "a phone app", "a phone", "people", 1.0, 0.0, "client outside", "phone", "generic.device.Mobile"),
    _row("dns", "DNS, GeoDNS", "a globe", "network", 0.9999, 20.0, "", "", "generic.network.Router"),
    _row("cdn", "a content delivery network", "a globe with edge nodes", "network", 0.9999, 20.0,
         "", "", "generic.network.Router"),
    _row("load_balancer", "an L4/L7 load balancer or reverse proxy", "a fan-out", "network", 0.9999, 1.0,
         "spof", "lb loadbalancer", "onprem.network.Nginx"),
    _row("api_gateway", "an API gateway: auth, routing, rate limits", "a gate", "network", 0.9995, 2.0,
         "spof", "gateway", "onprem.network.Kong"),
    _row("service", "an application or web server", "a server rack", "compute", 0.999, 5.0,
         "spof", "server app web", "onprem.compute.Server"),
    _row("worker", "a background worker or consumer", "gears", "batch", 0.999, 5.0,
         "ops", "consumer", "onprem.compute.Server"),
    _row("scheduler", "a cron job or scheduler", "a clock", "compute", 0.999, 1.0, "ops", "cron"),
    _row("cache", "an in-memory cache such as Redis or Memcached", "a cylinder with a bolt", "cache", 0.999, 1.0,
         "spof", "redis memcached", "onprem.inmemory.Redis"),
    _row("sql", "a relational database", "a cylinder", "data", 0.9995, 10.0,
         "database spof", "db database rdbms postgres mysql", "onprem.database.Postgresql"),
    _row("nosql", "a NoSQL store whose data model the design leaves open", "a cylinder", "data", 0.9995, 5.0,
         "database spof", "", "onprem.database.Cassandra"),
    _row("key_value", "a key-value store such as DynamoDB or Riak: a value behind each key", "a cylinder with a key",
         "data", 0.9995, 5.0, "database spof", "kv keyvalue dynamodb riak", "aws.database.Dynamodb"),
    _row("document", "a document store such as MongoDB: nested records read and written whole",
         "a cylinder with a page", "data", 0.9995, 5.0, "database spof", "mongodb couchdb documentdb",
         "onprem.database.Mongodb"),
    _row("wide_column", "a wide-column store such as Cassandra or HBase: rows by partition, sorted inside it",
         "a cylinder with columns", "data", 0.9995, 5.0, "database spof", "cassandra hbase bigtable scylla",
         "onprem.database.Cassandra"),
    _row("graph_db", "a graph database", "a cylinder with a graph", "data", 0.999, 20.0, "database"),
    _row("timeseries", "a time-series database", "a cylinder with a chart", "data", 0.999, 10.0, "database"),
    _row("object_store", "blob or object storage such as S3", "a bucket", "storage", 0.9999, 50.0,
         "", "s3 blob", "generic.storage.Storage"),
    _row("file_store", "a block or file store", "a folder", "storage", 0.999, 10.0),
    _row("queue", "a message queue", "slots", "messaging", 0.9995, 2.0, "messaging", "mq", "onprem.queue.Rabbitmq"),
    _row("stream", "a partitioned log such as Kafka", "slots", "messaging", 0.9995, 5.0,
         "messaging", "kafka log", "onprem.queue.Kafka"),
    _row("pubsub", "a publish/subscribe topic", "slots fanning out", "messaging", 0.9995, 2.0, "messaging"),
    _row("search", "a search index such as Elasticsearch", "a magnifier", "data", 0.999, 20.0,
         "", "elasticsearch", "onprem.search.Solr"),
    _row("analytics", "an analytics or data-warehouse job", "a bar chart", "batch", 0.99, 1000.0, "ops"),
    _row("coordinator", "a coordinator: ZooKeeper, a saga orchestrator, a 2PC coordinator", "a conductor's hub",
         "compute", 0.9995, 5.0, "spof"),
    _row("discovery", "service discovery or configuration", "a compass", "compute", 0.9995, 1.0),
    _row("rate_limiter", "a rate limiter", "a funnel", "network", 0.9995, 1.0),
    _row("id_generator", "a unique-id or key generator", "a number counter", "compute", 0.999, 1.0, "spof"),
    _row("monitoring", "metrics, logs, alerting", "a pulse chart", "external", 0.999, 1.0, "ops"),
    _row("notification", "a push, SMS or e-mail provider", "a bell", "messaging", 0.999, 100.0),
    _row("websocket", "a stateful WebSocket or connection server", "a server with a plug", "compute", 0.999, 1.0,
         "spof connection"),
    _row("third_party", "an external service you do not run", "a cloud", "external", 0.999, 100.0, "", "external"),
    _row("generic", "anything else", "a box", "compute", 0.999, 5.0),
)  # fmt: skip
"""Every kind, in the order the README and the schema list them."""

KINDS: Mapping[str, KindInfo] = MappingProxyType({info.name: info for info in KIND_TABLE})
"""Each kind's row, by name."""

CYLINDERS = frozenset(info.name for info in KIND_TABLE if info.drawing.startswith("a cylinder"))
"""The kinds drawn as a cylinder (the stores): the exports give them their tool's cylinder."""

Kind = StrEnum("Kind", [(info.name, info.name) for info in KIND_TABLE])  # type: ignore[misc]
"""The kinds as an enumeration, for validation and the schema (members are the names of :data:`KIND_TABLE`)."""

_ALIASES: Mapping[str, str] = MappingProxyType({alias: info.name for info in KIND_TABLE for alias in info.aliases})


def kind_info(kind: str) -> KindInfo:
    """The row of a kind; an unknown name gets the ``generic`` row.

    >>> kind_info("sql").roles == frozenset({"database", "spof"}), kind_info("nope").name
    (True, 'generic')
    """
    return KINDS.get(str(kind), KINDS["generic"])


def kind_alias(word: str) -> str | None:
    """The kind a word people write for one stands for, if any.

    >>> kind_alias("postgres"), kind_alias("redis"), kind_alias("teapot")
    ('sql', 'cache', None)
    """
    return _ALIASES.get(word)
