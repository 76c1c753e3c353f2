"""``blueprint site``: the course website is deterministic, self-contained and escapes every user-written text."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.site.build import build_site
from generator.site.pages import Links, json_script
from generator.site.svg import colour_map, dark_css, inline_svg

HOSTILE = "</script><img src=x onerror=alert(1)>"
DESIGN = f"""\
title: "{HOSTILE} shop"
summary: "A summary with {HOSTILE} and a mention of lesson 1."
lesson: 1
components:
  - {{id: client, kind: client, label: "{HOSTILE}"}}
  - {{id: app, kind: service, label: app}}
  - {{id: db, kind: sql, label: "db <b>"}}
flows:
  - id: read
    title: "Read {HOSTILE}"
    sequence: true
    steps:
      - "client -> app: GET {HOSTILE}"
      - "app -> db: SELECT"
      - "app --> client: 200"
"""


class Tags(HTMLParser):
    """Every element and attribute name in a page, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes.update(name for name, _ in attrs)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("designs")
    (folder / "hostile.yaml").write_text(DESIGN, encoding="utf-8")
    return folder


@pytest.mark.dot
def test_the_site_is_deterministic_and_holds_no_absolute_path(hostile: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    build_site([hostile], out_dir=one, built=None, jobs=1)
    build_site([hostile / "hostile.yaml"], out_dir=two, built=None, jobs=1)
    files = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file())
    assert {"index.html", "hostile.html", "search.js", "present/lesson-1.html", "assets/site.css"} <= set(files)
    for name in files:
        data = (one / name).read_bytes()
        assert data == (two / name).read_bytes(), name
        text = data.decode("utf-8")
        assert str(tmp_path) not in text and "/root/" not in text, name
        # nothing is fetched from elsewhere: no remote script, style, font or picture
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), name
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), name
        assert "@import" not in text, name
    again = build_site([hostile], out_dir=one, built=None, jobs=1)
    assert again.written == [] and again.unchanged == len(files) - 1  # the manifest is not counted


@pytest.mark.dot
def test_hostile_text_cannot_inject_markup(hostile: Path, tmp_path: Path) -> None:
    build_site([hostile], out_dir=tmp_path, built=None, jobs=1)
    for name in ("index.html", "hostile.html", "present/lesson-1.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        tags = Tags()
        tags.feed(page)
        assert "img" not in tags.names and not any(a.startswith("on") for a in tags.attributes), name
        assert page.count("<script") == page.count("</script>"), name
        assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page, name
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
    page = (tmp_path / "hostile.html").read_text(encoding="utf-8")
    flows = re.search(r'<script type="application/json" id="bp-flows">(.*?)</script>', page, re.S)
    assert flows is not None and "<" not in flows[1]
    assert any(HOSTILE in s["text"] for f in json.loads(flows[1]).values() for s in f["steps"])
    script = (tmp_path / "search.js").read_text(encoding="utf-8")
    assert "<" not in script and ">" not in script
    entries = json.loads(script.removeprefix("window.BP_INDEX = ").rstrip().removesuffix(";"))
    assert any(HOSTILE in e["title"] for e in entries)
    assert '<a href="index.html#lesson-1">lesson 1</a>' in page  # a cross-reference became a link


def test_json_for_a_script_cannot_end_it() -> None:
    text = str(json_script({"a": HOSTILE, "b": "&\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": HOSTILE, "b": "&\u2028"}


def test_links_escape_first_and_link_only_known_designs_and_lessons() -> None:
    links = Links({"rate-limiter": "Rate <limiter>", "ledger": "Ledger"}, {5: "index.html#lesson-5"}, here="x")
    out = str(links.text("<i>see rate-limiter, ledger, lesson 5 and lesson 99</i>"))
    assert out.startswith("&lt;i&gt;") and 'title="Rate &lt;limiter&gt;"' in out
    assert "ledger</a>" not in out  # one-word ids are too likely to be ordinary words
    assert 'href="index.html#lesson-5"' in out and "lesson 99</a>" not in out


def test_inlined_pictures_keep_their_ids_fonts_and_styles_to_themselves() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" aria-labelledby="bp-title bp-desc"><title id="bp-title">T</title>'
        "<defs><style>@font-face{font-family:'Kalam';src:url(data:font/woff2;base64,AA) format('woff2')}"
        'text{font-family:Kalam, sans-serif}</style></defs><g id="node-a"/><use href="#node-a"/></svg>'
    )
    out = inline_svg(svg, prefix="d-1")
    assert 'aria-labelledby="d-1-bp-title d-1-bp-desc"' in out and 'id="d-1-node-a"' in out
    assert 'href="#d-1-node-a"' in out and "font-family:'Kalam d-1'" in out
    assert "#d-1 text{font-family:'Kalam d-1', Kalam, sans-serif}" in out


def test_inlining_renames_whole_attributes_only() -> None:
    svg = (
        '<svg><g id="a" data-id="b" xid="c"/><use xlink:href="#a"/><use href="#b"/><a ahref="#c"/>'
        '<g aria-describedby="a" xaria-labelledby="b"/></svg>'
    )
    assert inline_svg(svg, prefix="p") == (
        '<svg id="p" class="bp-svg"><g id="p-a" data-id="p-b" xid="c"/><use xlink:href="#p-a"/><use href="#p-b"/>'
        '<a ahref="#c"/><g aria-describedby="p-a" xaria-labelledby="b"/></svg>'
    )


def test_dark_mode_redraws_light_pictures_in_the_blackboard_colours() -> None:
    mapping = colour_map("whiteboard", "blackboard")
    assert mapping["#fbfaf6"] == "#23302b" and mapping["#1e1e1e"] == "#eef0ea"
    css = dark_css()
    assert '[data-pen="whiteboard"] [fill="#fbfaf6" i]{fill:#23302b}' in css
    assert '[data-pen="blackboard"]' not in css  # a blackboard picture is already one


@pytest.mark.dot
def test_the_command_builds_the_site_and_says_where_to_open_it(hostile: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["site", str(hostile), "--out", str(tmp_path / "web"), "--from", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "index.html" in result.output and (tmp_path / "web" / "index.html").is_file()


COURSE = f"""\
title = "Course {HOSTILE}"
cheat_sheet = true

[glossary]
"quorum" = "A majority {HOSTILE}: see lesson 1."
"unused term" = "Nothing uses it."
"""
QUORUM = """\
title: Quorum store
summary: Reads and writes wait for a quorum of replicas.
lesson: 1
components:
  - {id: client, kind: client}
  - {id: app, kind: service}
  - {id: db, kind: nosql, replicas: 3}
flows:
  - id: write
    title: Write at quorum
    steps:
      - "client -> app: PUT"
      - "app -> db: write W=2"
      - "app --> client: 200"
tradeoffs:
  - choice: quorum writes
    pros: [a read sees the latest write]
    cons: [slower writes]
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two designs, a course file with a cheat-sheet and a glossary (hostile text in both)."""
    folder = tmp_path_factory.mktemp("course")
    (folder / "hostile.yaml").write_text(DESIGN, encoding="utf-8")
    (folder / "quorum-store.yaml").write_text(QUORUM, encoding="utf-8")
    (folder / "course.toml").write_text(COURSE, encoding="utf-8")
    return folder


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, empty and this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.mark.dot
def test_the_page_cache_gives_the_bytes_a_new_build_gives(course: Path, tmp_path: Path, private_cache: Path) -> None:
    plain, filled, hit = tmp_path / "plain", tmp_path / "filled", tmp_path / "hit"
    build_site([course], out_dir=plain, built=None, jobs=1, cache=False)
    first = build_site([course], out_dir=filled, built=None, jobs=1)
    second = build_site([course], out_dir=hit, built=None, jobs=1)
    assert first.cached == 0 and second.cached == 2 and "2 pages from the cache" in second.summary()
    assert sorted((private_cache / "blueprint" / "site-pages").glob("*.pickle"))
    names = sorted(p.relative_to(plain).as_posix() for p in plain.rglob("*") if p.is_file())
    for other in (filled, hit):
        assert names == sorted(p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file())
        for name in names:
            assert (plain / name).read_bytes() == (other / name).read_bytes(), name
    # a changed design misses the cache; the other design's page data still comes from it
    changed = tmp_path / "changed"
    shutil.copytree(course, changed)
    (changed / "quorum-store.yaml").write_text(QUORUM.replace("Quorum store", "Quorum store, changed"), "utf-8")
    again = build_site([changed], out_dir=tmp_path / "again", built=None, jobs=1)
    assert again.cached == 0  # another folder: other paths, other keys
    edited = build_site([changed], out_dir=tmp_path / "again", built=None, jobs=1)
    assert edited.cached == 2 and edited.written == []
    (changed / "quorum-store.yaml").write_text(QUORUM.replace("Quorum store", "Quorum store, again"), "utf-8")
    third = build_site([changed], out_dir=tmp_path / "again", built=None, jobs=1)
    assert third.cached == 1 and "Quorum store, again" in (tmp_path / "again" / "quorum-store.html").read_text("utf-8")


@pytest.mark.dot
def test_practice_pages_hide_every_answer_until_asked(course: Path, tmp_path: Path) -> None:
    build_site([course], out_dir=tmp_path, built=None, jobs=1)
    page = (tmp_path / "practice" / "quorum-store.html").read_text(encoding="utf-8")
    design = (tmp_path / "quorum-store.html").read_text(encoding="utf-8")
    assert 'href="practice/quorum-store.html"' in design  # linked from the page and the sidebar beside it
    assert design.count('href="practice/quorum-store.html"') == 2
    assert '<a href="../practice/quorum-store.html" aria-current="page">Practice</a>' in page
    assert '<link rel="stylesheet" href="../assets/site.css">' in page and 'data-root="../"' in page
    answers = re.findall(r"<details class=\"answer\"[^>]*>", page)
    assert len(answers) >= 3 and not any("open" in tag for tag in answers)  # all folded away
    assert page.count("<summary>") == len(answers)
    assert "Order the flow" in page and "Argue" in page and "Why quorum writes?" in page
    assert re.search(r'<figure class="bp-fig" id="fig-quorum-store-practice">', page)  # the redraw picture
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    hostile = (tmp_path / "practice" / "hostile.html").read_text(encoding="utf-8")
    tags = Tags()
    tags.feed(hostile)
    assert "img" not in tags.names and not any(a.startswith("on") for a in tags.attributes)
    entries = json.loads((tmp_path / "search.js").read_text("utf-8").removeprefix("window.BP_INDEX = ").rstrip()[:-1])
    practice = [e for e in entries if e["url"] == "practice/quorum-store.html"]
    assert practice and "a read sees the latest write" not in practice[0]["text"]  # a search shows no answer


@pytest.mark.dot
def test_the_appendix_pages_are_listed_linked_and_searchable(course: Path, tmp_path: Path) -> None:
    build_site([course], out_dir=tmp_path, built=None, jobs=1)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<a href="appendix/cheat-sheet.html">Numbers cheat-sheet</a>' in index
    assert '<a href="appendix/glossary.html">Glossary</a>' in index
    glossary = (tmp_path / "appendix" / "glossary.html").read_text(encoding="utf-8")
    assert '<dt id="term-quorum">quorum</dt>' in glossary
    assert '<a href="../quorum-store.html">Quorum store</a>' in glossary  # the term links to the design's page
    assert '<a href="../index.html#lesson-1">lesson 1</a>' in glossary  # cross-references in meanings, too
    assert "Used in" not in glossary.split('id="term-unused-term"')[1]
    tags = Tags()
    tags.feed(glossary)
    assert "img" not in tags.names and "&lt;/script&gt;" in glossary
    sheet = (tmp_path / "appendix" / "cheat-sheet.html").read_text(encoding="utf-8")
    assert "<td>99.9%</td><td>8 h 46 min</td>" in sheet
    assert 'aria-current="page">Numbers cheat-sheet</a>' in sheet
    entries = json.loads((tmp_path / "search.js").read_text("utf-8").removeprefix("window.BP_INDEX = ").rstrip()[:-1])
    quorum = [e for e in entries if e["title"] == "Glossary" and e["section"] == "quorum"]
    assert quorum and quorum[0]["url"] == "appendix/glossary.html#term-quorum" and "Quorum store" in quorum[0]["text"]
    assert any(e["title"] == "Numbers cheat-sheet" and "latency" in e["text"] for e in entries)


@pytest.mark.dot
def test_a_course_without_an_appendix_gets_no_appendix_pages(hostile: Path, tmp_path: Path) -> None:
    build_site([hostile], out_dir=tmp_path, built=None, jobs=1)
    assert not (tmp_path / "appendix").exists()
    assert "Appendix" not in (tmp_path / "index.html").read_text(encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.dot
def test_build_with_site_keeps_the_pages_it_prepared_and_never_serves_a_stale_one(
    course: Path, tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(course, tmp_path / "designs")
    runner = CliRunner()

    def site_from_scratch() -> dict[str, bytes]:
        """The site as `blueprint site` makes it with no page cache (every design prepared now)."""
        shutil.rmtree("plain", ignore_errors=True)
        build_site([Path("designs")], out_dir=Path("plain"), built=Path("output"), jobs=1, cache=False)
        return _files(Path("plain"))

    # The build's workers keep each design's page data; the site after it prepares none of them again.
    result = runner.invoke(main, ["build", "designs", "--out", "output", "--site", "site", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "2 rendered" in result.output
    assert "pictures: 2 from the build, 0 drawn; 2 pages from the cache" in result.output
    assert _files(Path("site")) == site_from_scratch()
    again = runner.invoke(main, ["site", "designs", "--out", "elsewhere", "--from", "output"])
    assert again.exit_code == 0 and "2 pages from the cache" in again.output, again.output

    # A design changed since the build: its page is made anew (pictures drawn now), the other one's is kept.
    quorum = tmp_path / "designs" / "quorum-store.yaml"
    quorum.write_text(QUORUM.replace("a quorum of replicas", "a quorum, changed"), "utf-8")
    stale = runner.invoke(main, ["site", "designs", "--out", "site", "--from", "output"])
    assert stale.exit_code == 0, stale.output
    assert "pictures: 1 from the build, 1 drawn; 1 page from the cache" in stale.output
    assert "a quorum, changed" in Path("site/quorum-store.html").read_text("utf-8")
    # Built again: the build keeps the changed design's new page, the site takes it, byte for byte a new one.
    rebuilt = runner.invoke(main, ["build", "designs", "--out", "output", "--site", "site", "-j", "1"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "1 rendered" in rebuilt.output and "2 from the build, 0 drawn; 2 pages from the cache" in rebuilt.output
    assert _files(Path("site")) == site_from_scratch()

    # Another theme, a changed course file or a changed blueprint: no page kept for another is used.
    themed = runner.invoke(main, ["site", "designs", "--out", "themed", "--from", "output", "--theme", "clean"])
    assert themed.exit_code == 0 and "from the cache" not in themed.output, themed.output
    with monkeypatch.context() as patch:
        patch.setattr("generator.site.build.code_hash", lambda: "another blueprint")
        changed_code = runner.invoke(main, ["site", "designs", "--out", "site", "--from", "output"])
    assert changed_code.exit_code == 0 and "from the cache" not in changed_code.output, changed_code.output
    (tmp_path / "designs" / "course.toml").write_text(COURSE.replace("Course ", "Course, renamed "), "utf-8")
    renamed = runner.invoke(main, ["build", "designs", "--out", "output", "--site", "site", "-j", "2"])
    assert renamed.exit_code == 0 and "2 pages from the cache" in renamed.output, renamed.output
    assert "Course, renamed" in Path("site/quorum-store.html").read_text("utf-8")
    assert _files(Path("site")) == site_from_scratch()


@pytest.mark.dot
def test_a_page_keeper_that_fails_never_fails_the_build(course: Path, tmp_path: Path) -> None:
    from generator.build.run import run_build

    def broken(*_: object) -> None:
        raise RuntimeError("a bug in the keeper")

    report = run_build([course], out_dir=tmp_path / "output", theme=None, jobs=1, after=lambda *_: broken)
    assert len(report.rendered) == 2 and not report.failures


PANEL = f"""\
[[panels]]
id = "shop-and-quorum"
title = "A shop {HOSTILE} against a quorum store"
views = ["hostile/overview", "quorum-store/overview", "hostile/read-sequence"]
"""
PANEL_MAIN = """\
[[panels]]
id = "main"
title = "Named as the frame names its main element"
views = ["quorum-store/overview", "hostile/overview"]
"""
PANEL_NOWHERE = """\
[[panels]]
id = "nowhere"
title = "Names a picture no design draws"
views = ["quorum-store/overview", "quorum-store/nowhere"]
"""


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two designs and a course file with three panels: one of three pictures (two of one design), one whose id
    the frame already uses, one naming a picture no design draws."""
    folder = tmp_path_factory.mktemp("compared")
    (folder / "hostile.yaml").write_text(DESIGN, encoding="utf-8")
    (folder / "quorum-store.yaml").write_text(QUORUM, encoding="utf-8")
    (folder / "course.toml").write_text(f'title = "Compared"\n\n{PANEL}\n{PANEL_MAIN}\n{PANEL_NOWHERE}', "utf-8")
    return folder


def _entries(site: Path) -> list[dict[str, str]]:
    script = (site / "search.js").read_text("utf-8")
    entries: list[dict[str, str]] = json.loads(script.removeprefix("window.BP_INDEX = ").rstrip().removesuffix(";"))
    return entries


def _panel(page: str, anchor: str) -> str:
    """One comparison's section of the comparisons page."""
    return page.split(f'<section class="comparison" id="{anchor}">')[1].split("</section>")[0]


@pytest.mark.dot
def test_the_comparisons_page_inlines_each_panel_and_links_its_designs(compared: Path, tmp_path: Path) -> None:
    report = build_site([compared], out_dir=tmp_path, built=None, jobs=1, cache=False)
    assert (report.comparisons, report.comparisons_drawn) == (2, 2)
    assert "comparisons: 0 from the build, 2 drawn" in report.summary()
    page = (tmp_path / "appendix" / "comparisons.html").read_text(encoding="utf-8")
    # In the frame of the other appendix pages: breadcrumbs, the sidebar (this page current), headings in order.
    assert "<title>Comparisons across designs · Compared</title>" in page and 'data-root="../"' in page
    assert '<li><a href="../index.html">Compared</a></li><li><span aria-current="page">Comparisons' in page
    assert '<a href="../appendix/comparisons.html" aria-current="page">Comparisons across designs</a>' in page
    assert re.findall(r"<h(\d)\b", page) == ["1", "2", "2"]
    # Each panel in the course file's order, under its id; one whose id the frame uses gets another anchor, and
    # the one naming a picture no design draws is left out.
    assert re.findall(r'<section class="comparison" id="([^"]+)">', page) == ["shop-and-quorum", "main-2"]
    shop = _panel(page, "shop-and-quorum")
    assert "<h2>A shop &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; against a quorum store</h2>" in shop
    # Inlined as a design page inlines a picture: its ids its own, its title and description its text alternative.
    assert '<div class="bp-pic" data-pen="whiteboard"><svg id="panel_shop-and-quorum" class="bp-svg"' in shop
    assert 'aria-labelledby="panel_shop-and-quorum-bp-title panel_shop-and-quorum-bp-desc"' in shop
    desc = re.search(r'<desc id="panel_shop-and-quorum-bp-desc">([^<]*)</desc>', shop)
    assert desc is not None and "Quorum store (Quorum store)" in desc[1]
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "duplicate ids"
    tags = Tags()
    tags.feed(page)
    assert "img" not in tags.names and not any(a.startswith("on") for a in tags.attributes)
    # Under it, each design it is drawn from, once, in the panel's order.
    links = re.findall(r'<a href="\.\./([^"]+)\.html">', shop.split('<p class="used">From: ')[1])
    assert links == ["hostile", "quorum-store"]
    assert '<a href="../quorum-store.html">Quorum store</a>.</p>' in shop
    # Listed in the index and in every page's sidebar, and searched by its title.
    link = '<a href="appendix/comparisons.html">Comparisons across designs</a>'
    assert link in (tmp_path / "index.html").read_text("utf-8")
    assert link in (tmp_path / "quorum-store.html").read_text("utf-8")
    practice = (tmp_path / "practice" / "quorum-store.html").read_text("utf-8")
    assert '<a href="../appendix/comparisons.html">Comparisons across designs</a>' in practice
    found = [e for e in _entries(tmp_path) if e["url"] == "appendix/comparisons.html#shop-and-quorum"]
    assert len(found) == 1 and found[0]["title"] == "Comparisons across designs" and found[0]["kind"] == "extra"
    assert "quorum store" in found[0]["section"] and "From: " in found[0]["text"]
    assert any(e["url"] == "appendix/comparisons.html#main-2" for e in _entries(tmp_path))


@pytest.mark.dot
def test_a_comparison_comes_from_the_build_only_while_its_manifest_vouches_for_it(
    compared: Path, tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(compared, "designs")
    Path("designs/course.toml").write_text(f'title = "Compared"\n\n{PANEL}\n{PANEL_MAIN}', "utf-8")
    runner = CliRunner()
    site_page = Path("site/appendix/comparisons.html")

    def drawn_now(*options: str) -> bytes:
        """The comparisons page as a site drawing every picture now makes it."""
        shutil.rmtree("drawn", ignore_errors=True)
        theme = options[1] if options else None
        build_site([Path("designs")], out_dir=Path("drawn"), built=None, theme=theme, jobs=1, cache=False)
        return Path("drawn/appendix/comparisons.html").read_bytes()

    def site(*options: str) -> str:
        result = runner.invoke(main, ["site", "designs", "--out", "site", "--from", "output", *options])
        assert result.exit_code == 0, result.output
        return result.output

    # Built: the site takes the build's pictures, the very ones a site drawing them now shows.
    result = runner.invoke(main, ["build", "designs", "--out", "output", "--site", "site", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "comparisons: 2 from the build, 0 drawn" in result.output
    built = Path("output/appendix/panel-shop-and-quorum.svg").read_text("utf-8")
    assert inline_svg(built, prefix="panel_shop-and-quorum") in site_page.read_text("utf-8")
    assert site_page.read_bytes() == drawn_now()

    # A member design edited since: the build folder's picture is stale; the site draws the design as it is.
    quorum = Path("designs/quorum-store.yaml")
    quorum.write_text(QUORUM.replace("{id: app, kind: service}", "{id: app, kind: service, label: edited app}"))
    assert "comparisons: 0 from the build, 2 drawn" in site()
    page = site_page.read_text("utf-8")
    assert "edited app" in _panel(page, "shop-and-quorum") and "edited app" in _panel(page, "main-2")
    assert "edited app" not in built and site_page.read_bytes() == drawn_now()
    again = site()  # drawn once: the drawing is kept in the cache, under the hash of what it is drawn from
    assert "comparisons: 0 from the build, 2 drawn" in again and site_page.read_bytes() == drawn_now()

    # Built again: the build's pictures are new, and taken again.
    result = runner.invoke(main, ["build", "designs", "--out", "output", "--site", "site", "-j", "1"])
    assert result.exit_code == 0 and "comparisons: 2 from the build, 0 drawn" in result.output, result.output
    assert site_page.read_bytes() == drawn_now()

    # A picture changed in the build folder after the build wrote it, or gone: drawn instead.
    panel = Path("output/appendix/panel-shop-and-quorum.svg")
    panel.write_text(panel.read_text("utf-8").replace("edited app", "tampered app"), "utf-8")
    assert "comparisons: 1 from the build, 1 drawn" in site()
    assert "tampered app" not in site_page.read_text("utf-8") and site_page.read_bytes() == drawn_now()
    panel.unlink()
    assert "comparisons: 1 from the build, 1 drawn" in site()
    assert site_page.read_bytes() == drawn_now()

    # Another theme: the build's pictures are not its; drawn in it (and shown as drawn in it).
    assert "comparisons: 0 from the build, 2 drawn" in site("--theme", "clean")
    page = site_page.read_text("utf-8")
    assert '<div class="bp-pic" data-pen="clean"><svg id="panel_shop-and-quorum"' in page
    assert site_page.read_bytes() == drawn_now("--theme", "clean")
    # Built in another theme: whatever the build folder holds, the site shows the panels in that theme.
    result = runner.invoke(main, ["build", "designs", "--out", "output", "--theme", "clean", "--site", "site"])
    assert result.exit_code == 0, result.output
    assert site_page.read_bytes() == drawn_now("--theme", "clean")


@pytest.mark.dot
def test_no_comparisons_page_without_a_panel_the_designs_draw(course: Path, compared: Path, tmp_path: Path) -> None:
    report = build_site([course], out_dir=tmp_path / "none", built=None, jobs=1)
    assert report.comparisons == 0 and "comparisons:" not in report.summary()
    assert not (tmp_path / "none" / "appendix" / "comparisons.html").exists()
    assert "Comparisons" not in (tmp_path / "none" / "index.html").read_text(encoding="utf-8")
    assert not any("comparisons" in e["url"] for e in _entries(tmp_path / "none"))
    folder = tmp_path / "nowhere"
    shutil.copytree(compared, folder)
    (folder / "course.toml").write_text(f'title = "Compared"\n\n{PANEL_NOWHERE}', "utf-8")
    build_site([folder], out_dir=tmp_path / "skipped", built=None, jobs=1)
    assert not (tmp_path / "skipped" / "appendix").exists()
    assert "Comparisons" not in (tmp_path / "skipped" / "index.html").read_text(encoding="utf-8")
