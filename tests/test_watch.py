"""``blueprint watch``: the preview server over HTTP, and end to end in headless Chromium (edit, see, break, see)."""

from __future__ import annotations

import http.client
import os
import shutil
import time
import urllib.request
from html import escape
from pathlib import Path
from typing import Any

import pytest

from generator.build import pipeline
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
        assert response.readline() == b"data: 1\n"
        design.write_text(design.read_text().replace("url cache", "key cache"))
        response.readline()
        assert response.readline() == b"data: 2\n"
        conn.close()


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
