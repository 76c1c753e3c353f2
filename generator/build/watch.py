"""``blueprint watch``: a preview server that redraws a design whenever its file is saved."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generator.build.io import display_path, read_design_file
from generator.build.manifest import sha256
from generator.build.preview import Begun, Drawer, Exact, Preview, Renderer, Superseded, WatchError, error_fragment
from generator.build.server import Handler, PreviewServer, PreviewServer6, check_host
from generator.frontend.load import MAX_BYTES

__all__ = ["WatchError", "WatchServer", "run_watch"]


@dataclass(frozen=True)
class _Change:
    """What the file holds now: its bytes, or why it cannot be drawn (the messages and what went wrong)."""

    raw: bytes | None
    problem: tuple[list[str], str] = ([], "")


class WatchServer:
    """A preview server for one design file: start it, open ``url``, close it (or use it as a context manager).

    One thread watches the file: Linux's inotify wakes it as soon as the file is saved, and it also polls every
    ``interval`` (the file's modification time, size and inode, with a ``stat`` call; its hash at least once a
    second). When the bytes change it hands them to a second thread, which validates them and publishes the
    write-up and the first picture (see :class:`~generator.build.preview.Drawer`), then hands them to a worker
    process that draws every picture exactly; a drawing still under way when newer bytes arrive is dropped at
    its next Graphviz run. The worker runs beside the server's threads instead of holding Python's interpreter
    lock against them. Every open page hears of each step through Server-Sent Events. An invalid design shows
    its errors instead of the picture.
    """

    def __init__(
        self,
        path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        theme: str | None = None,
        interval: float = 0.05,
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
        self.drawer = Drawer(path, theme=theme, render=render, stale=self._superseded)
        self._stop = threading.Event()
        self._arrived = threading.Event()
        self._lock = threading.Lock()
        self._pending: _Change | None = None
        self._job = 0
        self._raw = b""
        self._begun: Begun | None = None
        self._worker: _Worker | None = None
        self._workers: list[_Worker] = []
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
        """Start the worker process (unless a stand-in renderer draws), then watch, draw and serve, each in a
        background thread."""
        if self.render is None:
            try:
                self._worker = _Worker(self.path, self.theme, self._exact_arrived, self._worker_ended)
                self._workers.append(self._worker)
            except OSError as exc:  # no process to spare: draw everything in this one
                print(f"blueprint watch: drawing in one process ({exc})", file=sys.stderr)
        for target, name in (
            (self._watch, "blueprint-watch-file"),
            (self._draw, "blueprint-watch-draw"),
            (lambda: self._server.serve_forever(poll_interval=0.1), "blueprint-watch-http"),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def close(self) -> None:
        """Stop watching, drawing and serving, and wait for the threads and the worker."""
        self._stop.set()
        self._arrived.set()
        self.preview.close()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        for worker in self._workers:
            worker.close()

    def __enter__(self) -> WatchServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self, raw: bytes) -> None:
        """Draw these bytes of the design here, every step, and publish them (unless newer bytes arrive first)."""
        self._guarded(lambda: self.drawer.draw(raw, self.preview))

    def _guarded(self, action: Callable[[], object]) -> None:
        try:
            action()
        except Superseded:
            pass
        except Exception as exc:  # a bug must not kill the preview: show it
            traceback.print_exc(file=sys.stderr)
            self.preview.publish(_broke(self.path, exc), {}, ok=False)

    def _superseded(self, wait: float) -> bool:
        """Whether newer bytes arrived (or the server is closing), waiting up to ``wait`` seconds for them."""
        return (self._arrived.wait(wait) if wait > 0 else self._arrived.is_set()) or self._stop.is_set()

    def _post(self, change: _Change) -> None:
        with self._lock:
            self._pending = change
            self._arrived.set()

    def _draw(self) -> None:
        while not self._stop.is_set():
            if not self._arrived.wait(0.5):
                continue
            with self._lock:
                change, self._pending = self._pending, None
                self._arrived.clear()
                if change is None or self._stop.is_set():
                    continue
                self._job += 1
                job, outstanding, self._begun = self._job, self._begun, None
                worker = self._worker
            if outstanding is not None and worker is not None:
                worker.send(job, None)  # stop drawing the last version now, not once this one's first picture is out
            if change.raw is None:
                messages, what = change.problem
                self.preview.publish(error_fragment(display_path(self.path), messages, what=what), {}, ok=False)
            elif worker is None:
                self.refresh(change.raw)
            else:
                self._raw = change.raw
                self._guarded(functools.partial(self._begin, job, change.raw, worker))

    def _begin(self, job: int, raw: bytes, worker: _Worker) -> None:
        """Publish the write-up and first picture of a job, then hand it to the worker (only then, so that the first
        picture has the processor to itself)."""
        begun = self.drawer.begin(raw, self.preview)
        if begun is None:
            return
        with self._lock:
            if job != self._job:
                return
            self._begun = begun
        if not worker.send(job, raw):  # the worker ended: draw here
            with self._lock:
                self._begun = None
            self.drawer.finish(begun, self.drawer.exact(begun.record), self.preview)

    def _exact_arrived(self, job: int, exact: Exact | None) -> None:
        """The worker drew a job (None: the bytes are not a valid design, which the draw thread shows)."""
        with self._lock:
            if job != self._job or exact is None or self._begun is None:
                return
            begun, self._begun = self._begun, None
            try:
                self.drawer.finish(begun, exact, self.preview)
            except Exception as exc:  # a bug must not kill the preview: show it
                traceback.print_exc(file=sys.stderr)
                self.preview.publish(_broke(self.path, exc), {}, ok=False)

    def _worker_ended(self) -> None:
        """The worker process ended: unless the server is closing, draw here from now on, the current job too."""
        with self._lock:
            self._worker = None
            if self._stop.is_set():
                return
            unfinished = self._begun is not None
        print("blueprint watch: the drawing process ended; drawing in this one", file=sys.stderr)
        if unfinished and self._raw:
            self._post(_Change(self._raw))

    def _read(self) -> bytes | None:
        raw, _ = read_design_file(self.path)  # never more than the size limit, whatever the file holds
        return raw

    def _watch(self) -> None:
        nudges = _Nudges(self.path.parent, self._stop)
        last_stat: tuple[int, int, int] | None = None
        last_digest: str | None = None
        last_hash_time = 0.0
        nudged = True  # look at once
        unsettled: tuple[int, int, int] | None = None
        while not self._stop.is_set():
            try:
                st = self.path.stat()
                stat: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                stat = None
            now = time.monotonic()
            if stat is not None and stat[1] > MAX_BYTES:
                if last_digest != f"too large: {stat[1]}":
                    last_digest, last_stat = f"too large: {stat[1]}", stat
                    _, problem = read_design_file(self.path)
                    message = [str(problem)] if problem else [f"the file is over {MAX_BYTES:,} bytes"]
                    self._post(_Change(None, (message, "is too large")))
            elif stat is not None and stat != last_stat and not nudged and nudges.active and stat != unsettled:
                unsettled = stat  # changed with no word from inotify: perhaps half written, so look again first
            elif stat is not None and (stat != last_stat or now - last_hash_time >= 1.0):
                last_stat, last_hash_time = stat, now
                raw = self._read()
                if raw is not None and (digest := sha256(raw)) != last_digest:
                    last_digest = digest
                    self._post(_Change(raw))
            elif stat is None and last_digest != "missing":
                last_digest, last_stat = "missing", None
                self._post(_Change(None, (["the file is gone (moved or deleted)"], "cannot be read")))
            nudged = nudges.wait(self.interval)
        nudges.close()


class _Nudges:
    """Wakes the file-watching thread as soon as a file in the design's folder is written and closed, moved,
    created or deleted (Linux's inotify, through the C library), instead of at its next poll; where there is no
    inotify, it only waits out the poll interval."""

    _EVENTS = 0x8 | 0x40 | 0x80 | 0x100 | 0x200
    """IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE: a save in place or by renaming over
    the file (not IN_MODIFY: a file being rewritten is empty for a moment, and the poll catches the rest)."""

    def __init__(self, folder: Path, stop: threading.Event) -> None:
        self._stop = stop
        self._fd = -1
        if sys.platform != "linux":
            return
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = int(libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC))
            if fd >= 0 and int(libc.inotify_add_watch(fd, os.fsencode(folder), self._EVENTS)) < 0:
                os.close(fd)
                fd = -1
        except (OSError, AttributeError):  # no inotify here
            fd = -1
        self._fd = fd

    @property
    def active(self) -> bool:
        """Whether inotify tells of changes (else only the poll finds them)."""
        return self._fd >= 0

    def wait(self, timeout: float) -> bool:
        """Wait until something in the folder changes (and say so), the server closes, or ``timeout`` seconds
        pass."""
        if self._fd < 0:
            self._stop.wait(timeout)
            return False
        try:
            if not select.select([self._fd], [], [], timeout)[0]:
                return False
            with contextlib.suppress(BlockingIOError):
                while os.read(self._fd, 65536):  # drain: one look at the file answers them all
                    pass
        except (OSError, ValueError):
            return False
        return True

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _broke(path: Path, exc: Exception) -> str:
    return error_fragment(display_path(path), [f"{type(exc).__name__}: {exc}"], what="broke blueprint")


class _Worker:
    """A process that draws a design's pictures exactly, one job at a time, and drops a job as soon as a newer
    one arrives (see :func:`_work`). Its answers are handed to ``on_result`` by a thread of this process."""

    def __init__(
        self,
        path: Path,
        theme: str | None,
        on_result: Callable[[int, Exact | None], None],
        on_exit: Callable[[], None],
    ) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: forking a threaded process is unsafe
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_work, args=(child, path, theme), name="blueprint-watch-worker", daemon=True
        )
        self._process.start()
        child.close()
        self._sending = threading.Lock()
        reader = threading.Thread(
            target=self._read, args=(on_result, on_exit), name="blueprint-watch-results", daemon=True
        )
        reader.start()

    def send(self, job: int, raw: bytes | None) -> bool:
        """Hand the worker a job, dropping the one under way (None: only drop it); False when it has ended."""
        try:
            with self._sending:
                self._conn.send((job, raw))
        except (OSError, ValueError):
            return False
        return True

    def _read(self, on_result: Callable[[int, Exact | None], None], on_exit: Callable[[], None]) -> None:
        while True:
            try:
                job, exact = self._conn.recv()
            except (EOFError, OSError, TypeError, ValueError):
                on_exit()
                return
            on_result(job, exact)

    def close(self) -> None:
        """Ask the worker to end, and end it if it does not."""
        with contextlib.suppress(OSError, ValueError), self._sending:
            self._conn.send(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._conn.close()


def _work(conn: Connection, path: Path, theme: str | None) -> None:
    """The worker process: draw each job it is handed exactly and send back what it drew; a job still under way
    when the next arrives is dropped at its next Graphviz run. It ends when handed None or when the server ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which ends the worker
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # the next save's first picture and the browser come first
    drawer = Drawer(path, theme=theme, stale=conn.poll)
    try:
        message = conn.recv()
        while message is not None:
            job, raw = message
            if raw is None:  # drop the last job, and wait for the next
                message = conn.recv()
                continue
            try:
                record, _ = drawer.parse(raw)
                exact = drawer.exact(record) if record is not None else None
            except Superseded:
                message = conn.recv()
                continue
            except Exception as exc:  # a bug: the server shows it
                traceback.print_exc(file=sys.stderr)
                exact = Exact({}, error=_broke(path, exc))
            conn.send((job, exact))
            message = conn.recv()
    except (EOFError, OSError):  # the server ended
        pass


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
