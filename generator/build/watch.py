"""``blueprint watch``: a preview server that redraws a design whenever its file is saved."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.build.io import display_path, read_design_file
from generator.build.manifest import sha256
from generator.build.preview import Preview, Renderer, WatchError, build_snapshot, error_fragment
from generator.build.server import Handler, PreviewServer, PreviewServer6, check_host
from generator.frontend.load import MAX_BYTES

__all__ = ["WatchError", "WatchServer", "run_watch"]


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
        check_host(host)
        if not path.is_file():
            raise WatchError(f"{display_path(path)}: no such design file")
        self.path = path
        self.theme = theme
        self.interval = interval
        self.render = render
        self.preview = Preview()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        server_class = PreviewServer6 if ":" in host else PreviewServer
        try:
            self._server = server_class((host, port), Handler)
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
            fragment = error_fragment(display_path(self.path), [f"{type(exc).__name__}: {exc}"], what="broke blueprint")
            files, ok = {}, False
        self.preview.publish(fragment, files, ok=ok)

    def _read(self) -> bytes | None:
        raw, _ = read_design_file(self.path)  # never more than the size limit, whatever the file holds
        return raw

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
            if stat is not None and stat[1] > MAX_BYTES:
                if last_digest != f"too large: {stat[1]}":
                    last_digest, last_stat = f"too large: {stat[1]}", stat
                    _, problem = read_design_file(self.path)
                    message = [str(problem)] if problem else [f"the file is over {MAX_BYTES:,} bytes"]
                    self.preview.publish(
                        error_fragment(display_path(self.path), message, what="is too large"), {}, ok=False
                    )
            elif stat is not None and (stat != last_stat or now - last_hash_time >= 1.0):
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
                    error_fragment(
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
