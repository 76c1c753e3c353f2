"""The course website in a real browser (Playwright driving Debian's Chromium, from the file system): search,
step-through flows, dark mode, present mode, no console error, no request leaving the site, and axe-core's
accessibility check."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site.build import build_site

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ROOT / "designs"
AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("BLUEPRINT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
TIMEOUT_MS = 20_000

pytestmark = [
    pytest.mark.dot,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; make test does)"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of two lessons' designs (course file included), pictures drawn in memory."""
    out = tmp_path_factory.mktemp("site")
    build_site([DESIGNS / "url-shortener.yaml", DESIGNS / "cache-aside-read-path.yaml"], out_dir=out, built=None)
    return out


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of the two designs the course's panel compares (sharding against federation), drawn in memory."""
    out = tmp_path_factory.mktemp("compared")
    build_site([DESIGNS / "sharded-writes.yaml", DESIGNS / "federation.yaml"], out_dir=out, built=None)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=TIMEOUT_MS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watched:
    """A page whose console errors and requests leaving the site are recorded (and the latter refused)."""

    def __init__(self, browser: Any, **options: Any) -> None:
        options.setdefault("reduced_motion", "reduce")  # no transition half-way when a test reads a style
        self.context = browser.new_context(**options)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.check()


def test_search_finds_consistent_hashing_and_opens_the_page(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "System Design Masterclass"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "bp-q"
    page.keyboard.type("consistent hashing")
    page.wait_for_selector("#bp-results a")
    assert "consistent hashing" in page.locator("#bp-results").inner_text().lower()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "index.html" not in url)
    assert page.url.split("/")[-1].split("#")[0] in {"url-shortener.html", "cache-aside-read-path.html"}
    assert "consistent hashing" in page.locator("main").inner_text().lower()


def test_a_flow_steps_forward_and_back_with_buttons_and_keys(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "url-shortener.html").as_uri())
    fig = page.locator("figure.bp-playable").first  # the overview: every flow, the first chosen
    fig.locator(".bp-next").click()
    assert fig.get_attribute("data-step") == "1"
    on = fig.locator("svg .bp-on")
    ids = [i for i in on.evaluate_all("els => els.map(e => e.id)") if i]
    assert any(i.endswith("edge-client->lb:request:write") for i in ids), ids
    assert any(i.endswith("node-client") for i in ids) and any(i.endswith("node-lb") for i in ids), ids
    assert fig.locator("svg .bp-ring").count() == 1
    assert "client calls load balancer" in fig.locator(".bp-narration").inner_text()
    fig.locator(".bp-pic").focus()
    page.keyboard.press("ArrowRight")
    assert fig.get_attribute("data-step") == "2"
    ids = [i for i in fig.locator("svg .bp-on").evaluate_all("els => els.map(e => e.id)") if i]
    assert any(i.endswith("edge-lb->app:request:write") for i in ids) and not any("client->lb" in i for i in ids)
    assert page.locator("ol.steps li.bp-current").count() == 1
    page.keyboard.press("ArrowLeft")
    assert fig.get_attribute("data-step") == "1"
    opacity = fig.locator("svg g.nodes > g").nth(2).evaluate("e => getComputedStyle(e).opacity")
    assert float(opacity) < 0.5  # the rest dims
    fig.locator(".bp-all").click()
    assert fig.get_attribute("data-step") is None and fig.locator("svg .bp-on").count() == 0


def test_a_sequence_diagram_steps_too(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "url-shortener.html").as_uri())
    fig = page.locator('figure.bp-playable[data-kind="sequence"]').first
    fig.locator(".bp-next").click()
    fig.locator(".bp-next").click()
    assert fig.get_attribute("data-step") == "2"
    message = fig.locator("svg g.message.bp-on")
    assert message.count() >= 1 and message.first.get_attribute("data-step") == "2"
    assert fig.locator("svg g.node.bp-on").count() == 2


def test_dark_mode_shows_blackboard_pictures_and_is_remembered(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "url-shortener.html").as_uri())
    board = page.locator(".bp-pic svg > rect").first
    assert board.evaluate("e => getComputedStyle(e).fill") == "rgb(251, 250, 246)"
    page.locator("#bp-theme").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert board.evaluate("e => getComputedStyle(e).fill") == "rgb(35, 48, 43)"  # the blackboard's board
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"


def test_dark_mode_follows_the_system(site: Path, browser: Any) -> None:
    w = Watched(browser, color_scheme="dark")
    w.page.goto((site / "index.html").as_uri())
    assert w.page.evaluate("document.documentElement.dataset.theme") == "dark"
    w.check()


def test_present_mode_advances_slides_and_steps_flows_as_builds(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "present" / "lesson-11.html").as_uri())
    assert page.locator(".slide.active h1").count() == 1
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.body.dataset.slide") == "2"
    page.keyboard.press("ArrowRight")  # the overview: its flow steps before the next slide
    assert page.evaluate("document.body.dataset.slide") == "3"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.body.dataset.slide") == "3"
    assert page.locator(".slide.active figure").get_attribute("data-step") == "1"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.body.dataset.slide") == "2"
    assert page.locator(".slide.active").count() == 1


def serious_violations(w: Watched) -> list[str]:
    """What axe-core finds serious or critical on the page as it is now."""
    w.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = w.page.evaluate("axe.run(document, {resultTypes: ['violations'], preload: false})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (make test installs it with npm)")
@pytest.mark.parametrize("name", ["index.html", "url-shortener.html", "present/lesson-11.html"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_accessibility_violation(site: Path, browser: Any, name: str, scheme: str) -> None:
    w = Watched(browser, color_scheme=scheme)
    w.page.goto((site / name).as_uri())
    assert serious_violations(w) == []
    w.check()


def test_a_practice_page_hides_each_answer_until_the_reader_opens_it(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "url-shortener.html").as_uri())
    page.locator("main .practice-link a").click()
    page.wait_for_url(lambda url: url.endswith("practice/url-shortener.html"))
    assert page.locator("h1").inner_text() == "Practice: URL shortener"
    assert page.locator('.sidebar a[aria-current="page"]').inner_text() == "Practice"
    assert page.locator("#redraw figure svg").count() == 1  # the redraw picture
    order = page.locator("#order details.answer")
    answer = order.locator(".answer-body")
    assert order.get_attribute("open") is None and not answer.is_visible()
    assert page.locator("details.answer[open]").count() == 0
    order.locator("summary").focus()
    page.keyboard.press("Enter")  # the keyboard opens it
    assert order.get_attribute("open") == "" and answer.is_visible()
    assert "client → load balancer: GET /abc1234 (C)" in answer.inner_text()
    page.keyboard.press("Enter")
    assert not answer.is_visible()
    button = page.locator("#bp-answers")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    button.click()
    total = page.locator("details.answer").count()
    assert page.locator("details.answer[open]").count() == total and button.inner_text() == "Hide all answers"
    button.click()
    assert page.locator("details.answer[open]").count() == 0


def test_search_reaches_the_glossary_and_the_glossary_links_to_the_designs(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())
    assert page.locator(".sidebar").get_by_role("link", name="Glossary").count() == 1
    page.keyboard.press("/")
    page.keyboard.type("quorum")
    page.wait_for_selector("#bp-results a")
    results = page.locator("#bp-results a")
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "appendix/glossary.html#term-quorum" in hrefs, hrefs
    results.nth(hrefs.index("appendix/glossary.html#term-quorum")).click()
    page.wait_for_url(lambda url: "glossary.html" in url)
    term = page.locator("#term-quorum")
    assert term.inner_text() == "quorum" and term.evaluate("e => e.matches(':target')")
    used = page.locator("#term-quorum + dd .used a").first
    used.click()
    page.wait_for_url(lambda url: url.endswith("url-shortener.html"))
    page.go_back()
    page.goto((site / "appendix" / "cheat-sheet.html").as_uri())
    assert page.locator("h1").inner_text() == "Numbers cheat-sheet"
    page.locator(".sidebar").get_by_role("link", name="URL shortener").click()
    page.wait_for_url(lambda url: url.endswith("/url-shortener.html"))


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (make test installs it with npm)")
@pytest.mark.parametrize(
    "name",
    ["practice/url-shortener.html", "appendix/glossary.html", "appendix/cheat-sheet.html", "appendix/comparisons.html"],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_practice_and_appendix(
    site: Path, browser: Any, name: str, scheme: str, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue("compared") if name == "appendix/comparisons.html" else site
    w = Watched(browser, color_scheme=scheme)
    w.page.goto((folder / name).as_uri())
    if name.startswith("practice"):
        w.page.locator("#bp-answers").click()  # the answers open, checked too
    assert serious_violations(w) == []
    w.check()


def test_search_reaches_a_comparison_and_it_links_to_its_designs(compared: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((compared / "federation.html").as_uri())
    sidebar = page.locator(".sidebar").get_by_role("link", name="Comparisons across designs")
    assert sidebar.count() == 1
    page.keyboard.press("/")
    page.keyboard.type("federation")
    page.wait_for_selector("#bp-results a")
    results = page.locator("#bp-results a")
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    target = "appendix/comparisons.html#sharding-and-federation"
    assert target in hrefs, hrefs
    results.nth(hrefs.index(target)).click()
    page.wait_for_url(lambda url: "comparisons.html" in url)
    section = page.locator("#sharding-and-federation")
    assert section.evaluate("e => e.matches(':target')")
    assert section.locator("h2").inner_text().startswith("Splitting the writes")
    picture = section.locator("svg.bp-svg")
    assert picture.count() == 1 and picture.get_attribute("role") == "img"
    label = picture.evaluate(
        "e => e.getAttribute('aria-labelledby').split(' ').map(i => document.getElementById(i).textContent).join(' ')"
    )
    assert label.startswith("Splitting the writes") and "(Sharded write path)" in label  # its title and description
    board = section.locator(".bp-pic svg > rect").first
    assert board.evaluate("e => getComputedStyle(e).fill") == "rgb(251, 250, 246)"
    page.locator("#bp-theme").click()
    assert board.evaluate("e => getComputedStyle(e).fill") == "rgb(35, 48, 43)"  # the blackboard's, in the dark
    links = section.locator(".used a")
    titles = links.evaluate_all("els => els.map(e => e.textContent)")
    assert titles == ["Sharded write path", "Federation, one database per function"]
    links.last.click()
    page.wait_for_url(lambda url: url.endswith("/federation.html"))


def test_shared_drawings_of_a_large_design_draw_when_two_pictures_share_a_page(browser: Any, tmp_path: Path) -> None:
    """A design over a slide's 40 components draws each kind once (``<use>``): inlined twice on one page, each
    picture's uses resolve to its own prefixed drawings, and every one draws."""
    from generator.site.svg import inline_svg

    svg = (ROOT / "tests" / "cases" / "crowd" / "overview.exp.svg").read_text()
    page_file = tmp_path / "crowd.html"
    pictures = inline_svg(svg, prefix="p1") + inline_svg(svg, prefix="p2")
    page_file.write_text(f"<!doctype html><html><body>{pictures}</body></html>")
    watched = Watched(browser)
    try:
        watched.page.goto(page_file.as_uri())
        uses = watched.page.evaluate(
            """() => Array.from(document.querySelectorAll('use')).map(u => {
                const b = u.getBBox();
                const target = document.querySelector(u.getAttribute('href'));
                const own = target !== null && target.closest('svg') === u.closest('svg');
                return [u.getAttribute('href'), own, b.width, b.height];
            })"""
        )
        assert len(uses) == 2 * svg.count("<use ") > 80
        assert all(own and w > 10 and h > 10 for _, own, w, h in uses), uses[:3]
        assert {href.split("-")[0] for href, *_ in uses} == {"#p1", "#p2"}
        assert watched.errors == []
    finally:
        watched.context.close()
