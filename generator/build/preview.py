"""``blueprint watch``: a local preview server that redraws a design whenever its file is saved."""

from __future__ import annotations

import html
import ipaddress
import re
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.build.io import display_path
from generator.build.manifest import sha256
from generator.errors import BlueprintError

__all__ = ["Preview", "WatchServer", "markdown_to_html", "run_watch"]

Renderer = Callable[..., Any]
"""``render_design(design, *, source, theme) -> BuiltDesign``; replaceable for tests."""

_KEEP_VERSIONS = 3
_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".md": "text/markdown; charset=utf-8",
}
_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class WatchError(BlueprintError):
    """The preview server cannot start: a non-loopback address, a port in use, a missing file."""


# --------------------------------------------------------------------------------------------- Markdown


_ENTITY = re.compile(r"&amp;(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _inline(text: str, link: Callable[[str], str | None]) -> str:
    """Inline Markdown to HTML: escapes first, then images, links, code, bold and emphasis."""
    slots: list[str] = []

    def keep(fragment: str) -> str:
        slots.append(fragment)
        return f"\x00{len(slots) - 1}\x00"

    text = text.replace("\x00", "")
    text = re.sub(r"`([^`]+)`", lambda m: keep(f"<code>{html.escape(m[1])}</code>"), text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|~<>])", lambda m: keep(html.escape(m[1])), text)
    text = _ENTITY.sub(r"&\1;", html.escape(text, quote=True))

    def image(match: re.Match[str]) -> str:
        alt, target = match[1], html.unescape(match[2])
        src = link(target)
        if src is None:
            return f"<em>[{alt}]</em>"
        return keep(f'<img src="{html.escape(src, quote=True)}" alt="{alt}">')

    def anchor(match: re.Match[str]) -> str:
        label, target = match[1], html.unescape(match[2])
        if re.match(r"https?://", target):
            return keep(f'<a href="{html.escape(target, quote=True)}" rel="noopener noreferrer">{label}</a>')
        src = link(target)
        if src is not None:
            return keep(f'<a href="{html.escape(src, quote=True)}">{label}</a>')
        return f'<span class="link" title="{html.escape(target, quote=True)}">{label}</span>'

    text = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", image, text)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", anchor, text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"<em>\1</em>", text)
    while "\x00" in text:
        text = re.sub(r"\x00(\d+)\x00", lambda m: slots[int(m[1])], text)
    return text


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


def markdown_to_html(text: str, *, link: Callable[[str], str | None] = lambda _: None) -> str:
    """The Markdown of a write-up as simple, safe HTML: nothing in the text can add a tag or a script.

    Headings, paragraphs, lists, tables, block quotes, code, images and links; ``link`` maps a relative link
    target to a URL (or None to drop it).

    >>> markdown_to_html("# T <b>\\n\\nA *b* `c` <script>x</script>")
    '<h1>T &lt;b&gt;</h1>\\n<p>A <em>b</em> <code>c</code> &lt;script&gt;x&lt;/script&gt;</p>'
    >>> markdown_to_html("- one\\n- two")
    '<ul>\\n<li>one</li>\\n<li>two</li>\\n</ul>'
    """
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph), link)}</p>")
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            flush()
            i += 1
        elif stripped.startswith("```"):
            flush()
            i += 1
            code: list[str] = []
            while i < len(lines) and not lines[i].strip().startswith("```"):
                code.append(lines[i])
                i += 1
            out.append(f"<pre><code>{html.escape(chr(10).join(code))}</code></pre>")
            i += 1
        elif m := re.match(r"(#{1,6})\s+(.*?)\s*#*$", stripped):
            flush()
            level = len(m[1])
            out.append(f"<h{level}>{_inline(m[2], link)}</h{level}>")
            i += 1
        elif re.fullmatch(r"(-{3,}|\*{3,}|_{3,})", stripped):
            flush()
            out.append("<hr>")
            i += 1
        elif stripped.startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|?[\s:|-]+\|?", lines[i + 1].strip()):
            flush()
            head = _cells(stripped)
            rows: list[list[str]] = []
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            cells = "".join(f"<th>{_inline(c, link)}</th>" for c in head)
            body = "\n".join("<tr>" + "".join(f"<td>{_inline(c, link)}</td>" for c in r) + "</tr>" for r in rows)
            out.append(f"<table>\n<thead><tr>{cells}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>")
        elif re.match(r"([-*+]|\d{1,9}[.)])\s+", stripped):
            flush()
            ordered = bool(re.match(r"\d", stripped))
            first = re.match(r"(\d+)", stripped)
            start = int(first[1]) if ordered and first else 1
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                item = lines[i].strip()
                mark = re.match(r"([-*+]|\d{1,9}[.)])\s+(.*)", item)
                if mark and bool(re.match(r"\d", mark[1])) == ordered and not lines[i].startswith("    "):
                    items.append(mark[2])
                elif items:
                    items[-1] += " " + item
                else:  # pragma: no cover - the loop starts on a list line
                    items.append(item)
                i += 1
            tag = "ol" if ordered else "ul"
            attr = f' start="{start}"' if ordered and start != 1 else ""
            body = "\n".join(f"<li>{_inline(item, link)}</li>" for item in items)
            out.append(f"<{tag}{attr}>\n{body}\n</{tag}>")
        elif stripped.startswith(">"):
            flush()
            quote: list[str] = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quote.append(lines[i].strip()[1:].strip())
                i += 1
            out.append(f"<blockquote>{markdown_to_html(chr(10).join(quote), link=link)}</blockquote>")
        else:
            paragraph.append(stripped)
            i += 1
    flush()
    return "\n".join(out)


# --------------------------------------------------------------------------------------------- state


@dataclass
class Snapshot:
    """One state of the preview: a version number, the page fragment, and the files the fragment refers to."""

    version: int
    fragment: str
    files: dict[str, bytes] = field(default_factory=dict)
    ok: bool = True


class Preview:
    """The latest rendering of a design, shared between the watcher thread and the request threads."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._snapshots: list[Snapshot] = [Snapshot(0, '<p class="note">Rendering the design&hellip;</p>', ok=True)]
        self.closed = False

    @property
    def current(self) -> Snapshot:
        """The newest snapshot."""
        with self._cond:
            return self._snapshots[-1]

    def publish(self, fragment: str, files: dict[str, bytes], *, ok: bool) -> int:
        """Make a new snapshot current and wake every waiting page."""
        with self._cond:
            version = self._snapshots[-1].version + 1
            self._snapshots = [*self._snapshots[-(_KEEP_VERSIONS - 1) :], Snapshot(version, fragment, files, ok)]
            self._cond.notify_all()
            return version

    def file(self, version: int, name: str) -> bytes | None:
        """A rendered file of a recent version."""
        with self._cond:
            for snap in self._snapshots:
                if snap.version == version:
                    return snap.files.get(name)
        return None

    def wait(self, seen: int, timeout: float) -> int:
        """Block until a version newer than ``seen`` exists (or the timeout, or close); return the newest."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self._snapshots[-1].version != seen, timeout=timeout)
            return self._snapshots[-1].version

    def close(self) -> None:
        """Wake every waiting page for good."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def _error_fragment(shown: str, messages: list[str], *, what: str) -> str:
    items = html.escape("\n".join(messages))
    return (
        f'<section class="errors" role="alert"><h2>{html.escape(shown)} {html.escape(what)}</h2>'
        f"<pre>{items}</pre><p>The picture comes back as soon as the file is fixed and saved.</p></section>"
    )


def build_snapshot(
    raw: bytes, *, path: Path, theme: str | None, render: Renderer | None = None
) -> tuple[str, dict[str, bytes], bool]:
    """Validate and render a design's bytes for the preview, in memory (nothing is written to disk).

    Returns:
        The page fragment (the write-up with its diagrams, or the escaped errors), the files by name, and
        whether the design rendered.
    """
    from generator.build import pipeline
    from generator.frontend.validate import slug

    shown = display_path(path)
    design, errors = pipeline.parse_design(raw, path=shown, default_id=slug(path.stem))
    if design is None:
        return _error_fragment(shown, [str(e) for e in errors], what="is not a valid design"), {}, False
    try:
        built = (render or pipeline.render_design)(design, source=shown, theme=theme)
    except BlueprintError as exc:
        return _error_fragment(shown, [exc.format_message()], what="could not be drawn"), {}, False
    prefix = f"{design.id}/"
    files = {rel.removeprefix(prefix): data for rel, data in built.files.items()}
    return _writeup_fragment(files), files, True


def _writeup_fragment(files: dict[str, bytes]) -> str:
    """The write-up as HTML, its images pointing at ``files/VERSION/<name>`` (the version is filled in later)."""

    def link(target: str) -> str | None:
        name = unquote(target.split("#", 1)[0])
        return f"files/{{version}}/{name}" if name in files else None

    writeup = files.get("README.md", b"").decode("utf-8", "replace")
    body = markdown_to_html(writeup, link=link)
    if not writeup:
        body = "".join(
            f'<figure><img src="files/{{version}}/{html.escape(n, quote=True)}" alt="{html.escape(n)}"></figure>'
            for n in sorted(files)
            if n.endswith(".svg")
        )
    return f'<article class="writeup">{body}</article>'


# --------------------------------------------------------------------------------------------- server


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · blueprint watch</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }}
header {{ position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ddd; padding: .5rem 1rem;
          display: flex; gap: 1rem; align-items: baseline; }}
header code {{ color: #555; }}
#status {{ font-size: .85rem; color: #2a7; }}
#status.stale {{ color: #c60; }}
main {{ max-width: 70rem; margin: 0 auto; padding: 1rem; }}
img {{ max-width: 100%; height: auto; background: #fff; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
td, th {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }}
.errors {{ border: 2px solid #c33; background: #fff3f3; padding: 1rem; border-radius: 6px; }}
.errors pre {{ white-space: pre-wrap; color: #900; }}
pre {{ overflow-x: auto; }}
</style>
<script src="watch.js" defer></script>
</head>
<body>
<header><strong>blueprint watch</strong> <code>{path}</code> <span id="status">connecting&hellip;</span></header>
<main id="content" data-version="{version}">{fragment}</main>
</body>
</html>
"""

_SCRIPT = """(function () {
  "use strict";
  var main = document.getElementById("content");
  var status = document.getElementById("status");
  var shown = main.getAttribute("data-version");
  function refresh() {
    fetch("content", {cache: "no-store"}).then(function (response) {
      return response.text().then(function (text) {
        main.innerHTML = text;
        main.setAttribute("data-version", response.headers.get("X-Version") || "");
        shown = main.getAttribute("data-version");
        status.textContent = "live, version " + shown;
      });
    }).catch(function () { status.textContent = "could not fetch the new version"; });
  }
  var events = new EventSource("events");
  events.onopen = function () { status.className = ""; status.textContent = "live, version " + shown; };
  events.onmessage = function (event) { if (event.data !== shown) { refresh(); } };
  events.onerror = function () { status.className = "stale"; status.textContent = "disconnected; retrying"; };
})();
"""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview
    shown: str
    allowed_hosts: frozenset[str]


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the terminal is for the command's own lines."""

    def _send(self, status: int, body: bytes, content_type: str, *, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _fragment(self) -> tuple[int, str]:
        snap = self.server.preview.current
        return snap.version, snap.fragment.replace("files/{version}/", f"files/{snap.version}/")

    def do_HEAD(self) -> None:
        """Answer like GET, without a body."""
        self.do_GET()

    def do_GET(self) -> None:
        """Serve the page, its script, the current fragment, rendered files and the change events."""
        host = (self.headers.get("Host") or "").lower()
        if host not in self.server.allowed_hosts:  # refuses DNS-rebinding pages that reach a local port
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain; charset=utf-8")
            return
        path = urlsplit(self.path).path
        if path == "/":
            version, fragment = self._fragment()
            page = _PAGE.format(
                title=html.escape(Path(self.server.shown).stem),
                path=html.escape(self.server.shown),
                version=version,
                fragment=fragment,
            )
            self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/watch.js":
            self._send(HTTPStatus.OK, _SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
        elif path == "/content":
            version, fragment = self._fragment()
            self._send(
                HTTPStatus.OK, fragment.encode("utf-8"), "text/html; charset=utf-8", extra={"X-Version": str(version)}
            )
        elif path == "/events":
            self._events()
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        elif m := re.fullmatch(r"/files/(\d{1,9})/([A-Za-z0-9][A-Za-z0-9._-]*)", path):
            data = self.server.preview.file(int(m[1]), m[2])
            if data is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")
            else:
                kind = _TYPES.get(Path(m[2]).suffix, "application/octet-stream")
                self._send(HTTPStatus.OK, data, kind)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def _events(self) -> None:
        """Server-Sent Events: the version number now, then again each time it changes; a comment every 15 s."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not preview.closed:
                version = preview.wait(seen, timeout=15.0)
                if preview.closed:
                    break
                self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": keep-alive\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return


def _check_host(host: str) -> None:
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise WatchError(
            f"--host {host}: the preview serves only on a loopback address (127.0.0.1, ::1 or localhost), "
            "so nothing outside this machine can reach it"
        )


class WatchServer:
    """A preview server for one design file: start it, open ``url``, close it (or use it as a context manager).

    A thread polls the file (its modification time and size, and its hash at least once a second); when the
    bytes change it validates and renders the design in memory and publishes the result, and every open page
    fetches it through Server-Sent Events. An invalid design shows its errors instead of the picture.
    """

    def __init__(
        self,
        path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        theme: str | None = None,
        interval: float = 0.2,
        render: Renderer | None = None,
    ) -> None:
        _check_host(host)
        if not path.is_file():
            raise WatchError(f"{display_path(path)}: no such design file")
        self.path = path
        self.theme = theme
        self.interval = interval
        self.render = render
        self.preview = Preview()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        server_class = _Server6 if ":" in host else _Server
        try:
            self._server = server_class((host, port), _Handler)
        except OSError as exc:
            raise WatchError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
        self._server.preview = self.preview
        self._server.shown = display_path(path)
        self.port = int(self._server.server_address[1])
        names = {host, "localhost", "127.0.0.1", "[::1]"} | ({f"[{host}]"} if ":" in host else set())
        self._server.allowed_hosts = frozenset(f"{n}:{self.port}".lower() for n in names)
        url_host = f"[{host}]" if ":" in host else host
        self.url = f"http://{url_host}:{self.port}/"

    def start(self) -> WatchServer:
        """Render the design once and serve it, each in a background thread."""
        for target, name in (
            (self._watch, "blueprint-watch-file"),
            (lambda: self._server.serve_forever(poll_interval=0.1), "blueprint-watch-http"),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def close(self) -> None:
        """Stop watching and serving, and wait for both threads."""
        self._stop.set()
        self.preview.close()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def __enter__(self) -> WatchServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self, raw: bytes) -> None:
        """Render these bytes of the design and publish the result."""
        try:
            fragment, files, ok = build_snapshot(raw, path=self.path, theme=self.theme, render=self.render)
        except Exception as exc:  # a bug must not kill the preview: show it
            traceback.print_exc(file=sys.stderr)
            fragment = _error_fragment(
                display_path(self.path), [f"{type(exc).__name__}: {exc}"], what="broke blueprint"
            )
            files, ok = {}, False
        self.preview.publish(fragment, files, ok=ok)

    def _read(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except OSError:
            return None

    def _watch(self) -> None:
        last_stat: tuple[int, int] | None = None
        last_digest: str | None = None
        last_hash_time = 0.0
        while not self._stop.is_set():
            try:
                st = self.path.stat()
                stat: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
            except OSError:
                stat = None
            now = time.monotonic()
            if stat is not None and (stat != last_stat or now - last_hash_time >= 1.0):
                last_stat, last_hash_time = stat, now
                raw = self._read()
                # An editor may still be writing: wait until two reads agree.
                for _ in range(5):
                    if raw is None or self._stop.wait(0.05):
                        break
                    again = self._read()
                    if again == raw:
                        break
                    raw = again
                if raw is not None and sha256(raw) != last_digest:
                    last_digest = sha256(raw)
                    self.refresh(raw)
            elif stat is None and last_digest != "missing":
                last_digest, last_stat = "missing", None
                self.preview.publish(
                    _error_fragment(
                        display_path(self.path), ["the file is gone (moved or deleted)"], what="cannot be read"
                    ),
                    {},
                    ok=False,
                )
            self._stop.wait(self.interval)


def run_watch(
    path: Path, *, host: str = "127.0.0.1", port: int = 0, theme: str | None = None, echo: Callable[[str], Any] = print
) -> None:
    """Serve a live preview of a design until interrupted (Ctrl-C)."""
    server = WatchServer(path, host=host, port=port, theme=theme).start()
    echo(f"watching {display_path(path)} at {server.url} (Ctrl-C stops)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    echo("stopped")
