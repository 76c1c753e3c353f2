"""The live preview's HTTP server: the page, its script, the current fragment, rendered files and change events,
on a loopback address only, with a strict content security policy."""

from __future__ import annotations

import html
import ipaddress
import re
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.build.preview import Preview, WatchError

__all__ = ["Handler", "PreviewServer", "PreviewServer6", "check_host"]

_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


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


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview
    shown: str
    allowed_hosts: frozenset[str]


class PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
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


def check_host(host: str) -> None:
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
