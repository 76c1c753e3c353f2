"""``blueprint watch``: the preview server over HTTP, and end to end in headless Chromium (edit, see, break, see)."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import shutil
import statistics
import time
import urllib.request
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import pytest

from generator.build import pipeline
from generator.build.preview import Drawer, Preview
from generator.build.watch import WatchError, WatchServer
from generator.plan.prepare import read_design
from generator.writeup.pages import design_html

ROOT = Path(__file__).resolve().parents[1]
URL_SHORTENER = ROOT / "generator" / "build" / "probes" / "url-shortener.yaml"
CHROMIUM = os.environ.get("BLUEPRINT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 20_000


def fake_render(
    design: Any, *, source: str, theme: str | None = None, course: Any = None, **_: Any
) -> pipeline.BuiltDesign:
    """A cheap stand-in for the SVG and PNG renderer; the write-up is the real one."""
    record = pipeline.prepared(design)
    design = record.design
    built = pipeline.BuiltDesign(prepared=record, source=source)
    labels = " ".join(escape(c.title) for c in design.components)
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40"><text y="20">{labels}</text></svg>'
    built.files[f"{design.id}/overview.svg"] = svg.encode()
    built.files[f"{design.id}/overview.png"] = b"\x89PNG\r\n\x1a\n"
    built.files[f"{design.id}/README.md"] = pipeline.render_writeup(record, source=source).encode()
    return built


def renderer() -> Any:
    """The real renderer once it can run here, else the stand-in (the preview's logic is the same)."""
    try:
        import generator.render.png
        import generator.render.svg  # noqa: F401
    except ImportError:
        return fake_render
    return None if shutil.which("dot") else fake_render


@pytest.fixture
def design(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_bytes(URL_SHORTENER.read_bytes())
    return path


def wait_for(predicate: Any, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.05)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_the_preview_html_comes_from_the_write_up_context_escaped() -> None:
    hostile = (
        "title: 'Shop <script>alert(1)</script>'\nsummary: 'a & b <img src=x onerror=alert(1)>'\n"
        "components:\n  - {id: a, label: '<b>bold</b>'}\n  - {id: b}\n"
        "flows:\n  - id: f\n    steps: ['a -> b: GET /x?a=<i>&b=1']\n"
    )
    record, errors = read_design(hostile.encode(), path="shop.yaml", default_id="shop")
    assert record is not None, errors
    html = design_html(record, source="shop.yaml", files="files/7/")
    assert "<script" not in html and "<img src=x" not in html and "<b>bold" not in html and "<i>" not in html
    assert "<h1>Shop &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert '<img src="files/7/overview.svg"' in html
    assert "<code>GET /x?a=&lt;i&gt;&amp;b=1</code>" in html
    assert html.count("<section>") == html.count("</section>") == 3, "overview, flow f, availability"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
def test_only_loopback_addresses_are_served(design: Path, host: str) -> None:
    with pytest.raises(WatchError, match="only on a loopback address"):
        WatchServer(design, host=host)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WatchError, match="no such design file"):
        WatchServer(tmp_path / "nope.yaml")


def test_the_server_serves_page_script_content_and_files(design: Path) -> None:
    with WatchServer(design, render=fake_render, interval=0.05) as server:
        wait_for(lambda: server.preview.current.version >= 1)
        status, headers, body = get(server.url)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert b"url cache" in body and b'<script src="watch.js"' in body
        status, headers, body = get(server.url + "watch.js")
        assert headers["Content-Type"].startswith("text/javascript") and b"EventSource" in body
        status, headers, body = get(server.url + "content")
        version = headers["X-Version"]
        assert f'src="files/{version}/overview.svg"'.encode() in body
        status, headers, body = get(f"{server.url}files/{version}/overview.svg")
        assert headers["Content-Type"] == "image/svg+xml" and body.startswith(b"<svg")
        for bad in ("files/1/../../etc/passwd", "files/999/overview.svg", "output/"):
            with pytest.raises(urllib.error.HTTPError) as caught:
                get(server.url + bad)
            assert caught.value.code == 404
        # A page on another origin that resolves to this port (DNS rebinding) is refused.
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/", headers={"Host": "evil.example:80"})
        assert conn.getresponse().status == 421
        conn.close()
    with pytest.raises(OSError):
        get(server.url)


def test_events_announce_each_new_version(design: Path) -> None:
    with WatchServer(design, render=fake_render, interval=0.05) as server:
        wait_for(lambda: server.preview.current.version >= 1)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/events", headers={"Host": f"127.0.0.1:{server.port}"})
        response = conn.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        assert response.readline() == b"retry: 500\n"
        response.readline()

        def event() -> dict[str, Any]:
            line = response.readline()
            response.readline()
            assert line.startswith(b"data: "), line
            return dict(json.loads(line[6:]))

        first = event()
        assert first["version"] == 1 and first["ok"] and first["complete"]
        assert "overview.svg" in first["ready"] and "url cache" in first["html"]
        assert 'data-src="files/1/overview.svg"' in first["html"], "the page loads each picture once it is drawn"
        design.write_text(design.read_text().replace("url cache", "key cache"))
        second = event()
        assert second["version"] == 2 and "key cache" in second["html"] and "url cache" not in second["html"]
        conn.close()


@pytest.mark.dot
def test_a_version_is_published_in_steps_and_its_pictures_are_what_build_draws(design: Path) -> None:
    """The write-up, its pictures to come; then the first picture; then every picture, byte for byte what
    ``blueprint build`` draws (the preview's guess at how the overview fits the slide is checked, never kept)."""
    raw = design.read_bytes()
    preview = Preview()
    drawer = Drawer(design)
    drawer.draw(raw, preview)
    record, _ = read_design(raw, path="shop.yaml", default_id="shop")
    assert record is not None
    built = pipeline.render_design(record, source="shop.yaml", rasterize=False)
    expected = {k.removeprefix("shop/"): v for k, v in built.files.items() if k.endswith(".svg")}
    expected.pop("practice-overview.svg", None)  # the page does not show it
    assert dict(preview.current.files) == expected and preview.current.complete
    assert drawer.fit is not None, "learned from the exact drawing"

    edited = raw.replace(b"url cache", b"hot url cache")
    begun = drawer.begin(edited, preview)
    assert begun is not None and begun.first is not None and begun.first[0] == "overview.svg"
    snap = preview.current
    assert snap.version == begun.version and not snap.complete and list(snap.files) == ["overview.svg"]
    assert b"hot url cache" in snap.files["overview.svg"]
    drawer.finish(begun, drawer.exact(begun.record), preview)
    record, _ = read_design(edited, path="shop.yaml", default_id="shop")
    assert record is not None
    built = pipeline.render_design(record, source="shop.yaml", rasterize=False)
    assert preview.current.files["overview.svg"] == built.files["shop/overview.svg"]
    assert preview.current.complete and drawer.corrections == 0


@pytest.mark.dot
def test_a_wrong_guess_at_the_first_picture_is_replaced_by_the_exact_one(design: Path) -> None:
    raw = design.read_bytes()
    preview = Preview()
    drawer = Drawer(design)
    drawer.draw(raw, preview)
    right = drawer.fit
    assert right is not None
    drawer.fit = dataclasses.replace(right, turn=not right.turn)  # drawn the other way round
    begun = drawer.begin(raw.replace(b"url cache", b"hot url cache"), preview)
    assert begun is not None and begun.first is not None
    exact = drawer.exact(begun.record)
    drawer.finish(begun, exact, preview)
    assert exact.fit == right and drawer.fit == right
    assert exact.files["overview.svg"] != begun.first[1]
    assert drawer.corrections == 1 and preview.current.version == begun.version + 1
    assert preview.current.files["overview.svg"] == exact.files["overview.svg"] and preview.current.complete


@pytest.mark.dot
def test_quick_saves_end_on_the_last_one_drawn_exactly_even_when_the_worker_dies(design: Path) -> None:
    """Saves faster than the pictures are drawn drop the drawings under way; the last one wins, whole. A worker
    process that dies leaves the drawing to the server's own process."""
    text = design.read_text()
    with WatchServer(design) as server:
        wait_for(lambda: server.preview.current.complete and server.preview.current.version >= 1, timeout=60)
        for n in range(5):
            design.write_text(text.replace("url cache", f"cache {n}"))
            time.sleep(0.03)
        wait_for(lambda: server.preview.current.complete and "cache 4" in server.preview.current.fragment, 60)
        raw = design.read_bytes()
        record, _ = read_design(raw, path="shop.yaml", default_id="shop")
        assert record is not None
        built = pipeline.render_design(record, source="shop.yaml", rasterize=False)
        assert server.preview.current.files["overview.svg"] == built.files["shop/overview.svg"]

        for worker in server._workers:  # the test kills it
            worker._process.kill()
        wait_for(lambda: server._worker is None)
        design.write_text(text.replace("url cache", "cache after"))
        wait_for(lambda: server.preview.current.complete and "cache after" in server.preview.current.fragment, 60)
        assert b"cache after" in server.preview.current.files["overview.svg"]


def test_invalid_designs_show_escaped_errors_and_output_is_never_written(design: Path, tmp_path: Path) -> None:
    with WatchServer(design, render=fake_render, interval=0.05) as server:
        wait_for(lambda: server.preview.current.version >= 1)
        design.write_text(design.read_text().replace("kind: cache", 'kind: "<img src=x onerror=alert(1)>"'))
        wait_for(lambda: not server.preview.current.ok)
        body = get(server.url + "content")[2].decode()
        assert "unknown kind &#x27;&lt;img src=x onerror=alert(1)&gt;&#x27;" in body
        assert "<img" not in body
    assert not (tmp_path / "output").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["shop.yaml"]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; make test does)")
def test_the_page_follows_edits_in_a_browser(design: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with WatchServer(design, render=renderer(), interval=0.1) as server, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS)
        try:
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(server.url)
            page.wait_for_selector("text=url cache")
            page.wait_for_selector("#status >> text=live")
            assert page.locator("img").count() >= 1

            design.write_text(design.read_text().replace("url cache", "hot key cache"))
            page.wait_for_selector("text=hot key cache")
            assert page.locator("text=url cache").count() == 0

            broken = design.read_text().replace("kind: cache", 'kind: "<script>alert(1)</script>"', 1)
            design.write_text(broken.replace("kind: stream", "kind: strem"))
            errors = page.wait_for_selector(".errors")
            assert errors is not None
            text = errors.inner_text()
            assert "is not a valid design" in text
            assert "unknown kind '<script>alert(1)</script>'" in text and "unknown kind 'strem'" in text
            assert page.locator("main script").count() == 0  # shown as text, never run
            assert page.locator("img").count() == 0  # the errors replace the picture

            design.write_text(URL_SHORTENER.read_text())
            page.wait_for_selector("text=url cache")
            assert page.locator(".errors").count() == 0
        finally:
            browser.close()


DESIGNS_URL_SHORTENER = ROOT / "designs" / "url-shortener.yaml"
LATENCY_GOAL_MS = 150.0
"""The preview's budget from a save to the new picture: met on a quiet 2-core machine (see the README)."""
LATENCY_BUDGET_MS = float(os.environ.get("BLUEPRINT_PREVIEW_BUDGET_MS", "400"))
"""What the test asserts: by default a regression bound a shared, busy machine still meets (the preview took 650 to
900 ms before it was made fast); BLUEPRINT_PREVIEW_BUDGET_MS=150 holds a quiet machine to the goal itself."""
LATENCY_EDITS = 7
LATENCY_ROUNDS = 3
SHOWN_SCRIPT = """
window.bpShown = [];
window.bpWaiting = [];
(function () {
  function note(img) {
    if (!img.isConnected || !img.complete || img.naturalWidth === 0) { return; }
    window.bpShown.push([img.getAttribute("src"), performance.timeOrigin + performance.now()]);
    var waiting = window.bpWaiting;
    window.bpWaiting = [];
    waiting.forEach(function (check) { check(); });
  }
  document.addEventListener("load", function (event) {
    if (event.target.tagName === "IMG") { note(event.target); }
  }, true);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) { return; }
        if (node.tagName === "IMG") { note(node); } else { node.querySelectorAll("img").forEach(note); }
      });
    });
  }).observe(document, {childList: true, subtree: true});
})();
"""
"""Records, in the page, when each picture is in the document and loaded (added already loaded, or loaded there):
its address and the time, on the wall clock the test's ``time.time()`` reads."""

FIRST_SHOWN_AFTER = """(after) => new Promise(function (resolve) {
  function check() {
    var found = window.bpShown.find(function (entry) {
      var m = /^files\\/(\\d+)\\/overview\\.svg$/.exec(entry[0] || "");
      return m && Number(m[1]) > after;
    });
    if (found) { resolve(found); } else { window.bpWaiting.push(check); }
  }
  check();
})"""
"""The first overview of a version newer than ``after`` shown in the page, waited for without polling."""


def clock_offset_ms(page: Any) -> float:
    """How far the page's clock is ahead of this process's, from the quickest of a few round trips."""
    samples = []
    for _ in range(5):
        before = time.time() * 1000
        theirs = page.evaluate("() => performance.timeOrigin + performance.now()")
        after = time.time() * 1000
        samples.append((after - before, theirs - (before + after) / 2))
    return min(samples)[1]


@pytest.mark.dot
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; make test does)")
def test_a_save_shows_the_new_picture_in_the_browser_quickly(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    """From writing the 13-box URL shortener to its new overview loaded in the page: the median of 7 saves, each
    giving a label the overview shows a text it never had, with the preview idle before each (as between two saves
    by hand).

    A busy machine (a parallel test run) can slow one round down, so up to 3 rounds are made and the best median
    counts; every median is printed (``-s``) and recorded as a property of the test. The goal is 150 ms
    (LATENCY_GOAL_MS); the assertion is LATENCY_BUDGET_MS, which a timing on a shared machine can rely on.
    """
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    design = tmp_path / "url-shortener.yaml"
    original = DESIGNS_URL_SHORTENER.read_text()
    design.write_text(original)
    rounds: list[list[float]] = []
    with WatchServer(design) as server, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS)
        try:
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.add_init_script(SHOWN_SCRIPT)
            page.goto(server.url)
            page.wait_for_selector("#status >> text=live")
            offset = clock_offset_ms(page)
            while len(rounds) < LATENCY_ROUNDS and not any(statistics.median(r) <= LATENCY_BUDGET_MS for r in rounds):
                latencies: list[float] = []
                for n in range(LATENCY_EDITS):
                    wait_for(lambda: server.preview.current.complete and server.drawer.fit is not None, timeout=60)
                    time.sleep(0.2)  # the worker is idle, as between two saves by hand
                    before = server.preview.current.version
                    label = f"url cache {len(rounds) * LATENCY_EDITS + n + 1}"  # new text: no layout is remembered
                    written = time.time() * 1000
                    design.write_text(original.replace("label: url cache", f"label: {label}"))
                    time.sleep(0.4)  # the page notes the time itself: the test keeps still meanwhile
                    src, shown = page.evaluate(FIRST_SHOWN_AFTER, before)
                    latencies.append(shown - offset - written)
                    svg = server.preview.file(int(src.split("/")[1]), "overview.svg")
                    assert svg is not None and f"{label} (cache".encode() in svg, "the new picture, not the last one"
                rounds.append(latencies)
            wait_for(lambda: server.preview.current.complete, timeout=60)
            assert server.drawer.corrections == 0, "every picture measured was the exact one, not a guess"
        finally:
            browser.close()
    medians = [statistics.median(r) for r in rounds]
    record_property("median_ms", [round(m, 1) for m in medians])
    for r, median in zip(rounds, medians, strict=True):
        print(f"\nsave to new picture in the browser: median {median:.0f} ms of {[round(x) for x in r]}")
    assert min(medians) <= LATENCY_BUDGET_MS, f"medians {[round(m) for m in medians]} ms, over {LATENCY_BUDGET_MS} ms"
