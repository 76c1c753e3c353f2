"""What a component is for, by kind and by meaning: the roles the grader matches two designs on (never ids).

A role groups the kinds that do one job in an answer (a relational or a key-value store both hold the data), and a
component whose kind says little (``service``, ``generic``) is also read by its words: a service labelled
"Redis" or "key generator" plays the cache's or the id generator's role.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from generator.frontend.model import Component
from generator.frontend.vocabulary import KINDS, kind_alias

__all__ = ["ROLE_NAMES", "ROLE_OF_KIND", "SAME_WORDS", "roles_of", "words"]

ROLE_OF_KIND: Mapping[str, str] = MappingProxyType(
    {
        "dns": "dns",
        "cdn": "cdn",
        "load_balancer": "load balancer",
        "api_gateway": "load balancer",
        "service": "app servers",
        "websocket": "connection servers",
        "worker": "workers",
        "scheduler": "scheduler",
        "cache": "cache",
        "sql": "database",
        "nosql": "database",
        "key_value": "database",
        "document": "database",
        "wide_column": "database",
        "graph_db": "database",
        "timeseries": "database",
        "object_store": "blob storage",
        "file_store": "blob storage",
        "queue": "message broker",
        "stream": "message broker",
        "pubsub": "message broker",
        "search": "search index",
        "analytics": "analytics",
        "coordinator": "coordinator",
        "discovery": "service discovery",
        "rate_limiter": "rate limiter",
        "id_generator": "id generator",
        "monitoring": "monitoring",
        "notification": "notifications",
    }
)
"""The role each kind plays; clients, people, third parties and ``generic`` boxes play none by kind."""

ROLE_NAMES: tuple[str, ...] = tuple(dict.fromkeys(ROLE_OF_KIND.values()))
"""Every role, in the kinds' order."""

_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bkey[- ]?gen|\bid[- ]?gen|\bsnowflake|\bticket server", "id_generator"),
    (r"\brate[- ]?limit", "rate_limiter"),
    (r"\bload[- ]?balanc|\bhaproxy|\bnginx|\belb\b|\balb\b", "load_balancer"),
    (r"\bgateway", "api_gateway"),
    (r"\bcache|\bredis|\bmemcache", "cache"),
    (r"\bqueue|\bkafka|\brabbit|\bsqs\b|\bkinesis|\bbroker", "queue"),
    (r"\bdatabase|\bdb\b|\bpostgres|\bmysql|\bcassandra|\bdynamo|\bmongo", "nosql"),
    (r"\bs3\b|\bblob|\bbucket|object stor", "object_store"),
    (r"\bcdn\b|\bcloudfront|\bakamai", "cdn"),
    (r"\belasticsearch|\bsearch index|\bsolr\b", "search"),
)


def words(text: str) -> set[str]:
    """The content words of a text, lower case, each said one way (:data:`SAME_WORDS`) and reduced to its stem
    (the Snowball English stemmer), so "highly available" and "high availability" share their words.

    >>> sorted(words("Redirects within 20 ms, the URLs"))
    ['20', 'ms', 'redirect', 'url', 'within']
    >>> words("Highly available") == words("high availability"), sorted(words("a 7-character code"))
    (True, ['7', 'charact', 'key'])
    """
    stem = _stemmer().stemWord
    out = set()
    for token in re.findall(r"[a-z0-9]+", text.lower()):
        for word in SAME_WORDS.get(token, token).split():
            if word not in _STOP and (len(word) > 1 or word.isdigit()):
                out.add(stem(word))
    return out


SAME_WORDS: Mapping[str, str] = MappingProxyType(
    {
        **{
            n: str(i) for i, n in enumerate(("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 2)
        },
        "link": "url",
        "uri": "url",
        "code": "key",
        "slug": "key",
        "predictable": "guessable",
        "enumerable": "guessable",
        "failure": "fail",
        "uptime": "availability",
        "p99": "99th percentile",
        "p999": "99 9th percentile",
        "millisecond": "ms",
        "milliseconds": "ms",
        "shorten": "short",
        "shortening": "short",
        "shortened": "short",
    }
)
"""Words a learner may use for the reference's (a link for a URL, a code or slug for a key, p99 for the 99th
percentile, seven for 7; "one" stays a stop word), so a requirement said in other words still counts as stated.
Kept to the field's plain synonyms: a requirement is matched on the words two texts share, and a loose synonym
would match wrong ones."""


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


_STOP_WORDS = "a an and are as at be by for from in into is it its of on or the to with must should can each one"
_STOP = frozenset((_STOP_WORDS + " path flow").split(" "))


def roles_of(comp: Component) -> set[str]:
    """The roles a component plays: by its kind, and by what its id, label and technology say it is.

    >>> from generator.frontend.model import Component
    >>> sorted(roles_of(Component(id="keys", kind="service", label="key generator", tech="Redis")))
    ['app servers', 'cache', 'id generator']
    >>> sorted(roles_of(Component(id="db", kind="sql")))
    ['database']
    """
    kinds = {str(comp.kind)}
    text = f"{comp.id} {comp.label} {comp.tech}".replace("_", " ").replace("-", " ")
    if str(comp.kind) in ("service", "generic", "worker"):
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            alias = kind_alias(word)
            if alias is not None:
                kinds.add(alias)
            elif word in KINDS and word not in ("client", "user", "generic"):
                kinds.add(word)
        kinds.update(kind for pattern, kind in _PHRASES if re.search(pattern, text.lower()))
    return {ROLE_OF_KIND[k] for k in kinds if k in ROLE_OF_KIND}
