"""The live preview's HTTP server: the page, its script, the current fragment, rendered files and change events,
on a loopback address only, with a strict content security policy."""

from __future__ import annotations

import contextlib
import html
import ipaddress
import json
import re
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.build.preview import Preview, Snapshot, WatchError

__all__ = ["Handler", "PreviewServer", "PreviewServer6", "check_host", "page_fragment"]

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
  var version = main.getAttribute("data-version");
  var PICTURE = /^files\\/\\d+\\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;
  function live() { status.className = ""; status.textContent = "live, version " + version; }
  function nameOf(img) {
    var found = PICTURE.exec(img.getAttribute("data-src") || img.getAttribute("src") || "");
    return found ? found[1] : null;
  }
  // Makes the page's element like the new one, changing only what differs (so the browser redraws little). A
  // picture keeps showing its last drawing until the new one is drawn and loaded (see show).
  function morph(old, fresh) {
    var olds = Array.prototype.slice.call(old.childNodes);
    var news = Array.prototype.slice.call(fresh.childNodes);
    var i;
    for (i = 0; i < news.length; i++) {
      var was = olds[i];
      var now = news[i];
      if (!was) {
        old.appendChild(now);
      } else if (was.nodeType !== now.nodeType || was.nodeName !== now.nodeName) {
        old.replaceChild(now, was);
      } else if (was.nodeName === "IMG") {
        if (was.hasAttribute("src") && nameOf(was) === nameOf(now)) {
          was.setAttribute("data-src", now.getAttribute("data-src"));
          was.alt = now.alt;  // its new drawing replaces it once loaded
        } else {
          old.replaceChild(now, was);
        }
      } else if (was.nodeType === 1) {
        attributes(was, now);
        morph(was, now);
      } else if (was.nodeValue !== now.nodeValue) {
        was.nodeValue = now.nodeValue;
      }
    }
    for (; i < olds.length; i++) { old.removeChild(olds[i]); }
  }
  function attributes(was, now) {
    var i;
    for (i = was.attributes.length - 1; i >= 0; i--) {
      if (!now.hasAttribute(was.attributes[i].name)) { was.removeAttribute(was.attributes[i].name); }
    }
    for (i = 0; i < now.attributes.length; i++) {
      var a = now.attributes[i];
      if (was.getAttribute(a.name) !== a.value) { was.setAttribute(a.name, a.value); }
    }
  }
  // The pictures drawn so far: each is loaded off the page, then put in place of the one it replaces (found by its
  // address, which the new write-up gives it).
  var loading = {};
  function show(ready) {
    ready.forEach(function (name) {
      var want = "files/" + version + "/" + name;
      if (loading[want] || main.querySelector('img[src="' + want + '"]')) { return; }
      loading[want] = true;
      var next = new Image();
      next.onload = function () {
        delete loading[want];
        Array.prototype.forEach.call(main.querySelectorAll('img[data-src="' + want + '"]'), function (img, n) {
          if (img.getAttribute("src") === want) { return; }
          var shown = n === 0 ? next : next.cloneNode();
          shown.alt = img.alt;
          shown.setAttribute("data-src", want);
          img.replaceWith(shown);
        });
      };
      next.onerror = function () { delete loading[want]; };
      next.src = want;
    });
  }
  // The new write-up: only what differs changes, and a picture it moves keeps showing its last drawing too.
  function change(html) {
    var kept = {};
    Array.prototype.forEach.call(main.querySelectorAll("img[src]"), function (img) {
      kept[nameOf(img)] = kept[nameOf(img)] || img;
    });
    var template = document.createElement("template");
    template.innerHTML = html;
    morph(main, template.content);
    Array.prototype.forEach.call(main.querySelectorAll("img:not([src])"), function (img) {
      var old = kept[nameOf(img)];
      if (old && !old.isConnected) {
        old.setAttribute("data-src", img.getAttribute("data-src"));
        old.alt = img.alt;
        img.replaceWith(old);
      }
    });
  }
  var events = new EventSource("events");
  events.onopen = live;
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    var now = String(state.version);
    if (now !== version && typeof state.html === "string") {
      version = now;
      show(state.ready || []);  // loading while the page changes
      change(state.html);
      main.setAttribute("data-version", version);
      live();
    } else if (now === version) {
      show(state.ready || []);
    }
  };
  events.onerror = function () { status.className = "stale"; status.textContent = "disconnected; retrying"; };
})();
"""
_PICTURE = re.compile(r'\bsrc="files/\{version\}/([A-Za-z0-9][A-Za-z0-9._-]*)"')


def page_fragment(snap: Snapshot, *, drawn: bool = True) -> str:
    """A snapshot's fragment with its pictures' addresses: ``src`` for the pictures already drawn when ``drawn``,
    ``data-src`` for the others (the page's script loads each once it is drawn)."""

    def address(m: re.Match[str]) -> str:
        attribute = "src" if drawn and m[1] in snap.files else "data-src"
        return f'{attribute}="files/{snap.version}/{m[1]}"'

    return _PICTURE.sub(address, snap.fragment)


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
        try:
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the page went away (or dropped a picture it no longer wants)
            self.close_connection = True

    def setup(self) -> None:
        """Send each write at once: with Nagle's algorithm a response written in two parts (head, then body)
        waits for the client's delayed acknowledgement, 40 ms on Linux."""
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _fragment(self) -> tuple[int, str]:
        snap = self.server.preview.current
        return snap.version, page_fragment(snap)

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
        """Server-Sent Events: the state now, then again each time it changes; a comment every 15 s.

        Each event is one JSON object: the ``version``, whether it drew (``ok``), the pictures drawn so far
        (``ready``) and whether more are coming (not ``complete``), and the fragment (``html``, every picture's
        address in ``data-src``) when the version is new to this page.
        """
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.close_connection = True
        seen, sent = -1, -1
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not preview.closed:
                stamp, snap = preview.wait(seen, timeout=15.0)
                if preview.closed:
                    break
                if stamp == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    state: dict[str, Any] = {"version": snap.version, "ok": snap.ok, "complete": snap.complete}
                    state["ready"] = sorted(snap.files)
                    if snap.version != sent:
                        state["html"] = page_fragment(snap, drawn=False)
                    self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                    seen, sent = stamp, snap.version
                self.wfile.flush()
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
