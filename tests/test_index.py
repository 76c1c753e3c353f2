"""The course index (output/README.md) and the committed output folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from generator.build.pipeline import render_index
from generator.errors import DesignError
from generator.frontend.course import Course, Part, course_diagnostics, parse_course
from generator.frontend.model import Design

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "output"


def design(ident: str, lesson: int | None, title: str) -> Design:
    return Design.model_validate({"id": ident, "title": title, "lesson": lesson, "components": [{"id": "a"}]})


def test_index_groups_by_part_and_lesson() -> None:
    course = Course(
        title="Course <1>",
        parts=[Part(title="Part A", lessons=[1, 2]), Part(title="Part B", lessons=[3])],
        lessons={1: "Intro", 3: "Last"},
    )
    text = render_index(
        [design("c", 3, "Third"), design("b", 1, "Beta"), design("a", 1, "Alpha"), design("z", None, "Loose")],
        course=course,
    ).decode()
    # A compact contents table first: each lesson, what it teaches, its designs and their reading time.
    contents, _, body = text.partition("## Part A")
    assert "| Lesson | What you learn | Designs | Reading |" in contents
    assert "| 1 | Intro | [Alpha](a/README.md)<br>[Beta](b/README.md) | 2 min |" in contents
    text = "## Part A" + body
    order = [
        text.index(s)
        for s in (
            "## Part A",
            "### Lesson 1: Intro",
            "Alpha",
            "Beta",
            "## Part B",
            "### Lesson 3: Last",
            "Third",
            "## More designs",
            "Loose",
        )
    ]
    assert order == sorted(order)
    assert contents.startswith("# Course &lt;1&gt;")
    assert '<img src="a/overview.png"' in text and "[Write-up]" not in text


def test_course_order_puts_named_designs_first_within_a_lesson() -> None:
    course = Course(parts=[Part(title="P", lessons=[1])], order=["zeta"])
    text = render_index([design("alpha", 1, "Alpha"), design("zeta", 1, "Zeta")], course=course).decode()
    assert text.index("Zeta") < text.index("Alpha")


def test_course_file_errors_are_reported() -> None:
    with pytest.raises(DesignError, match="not valid TOML"):
        parse_course(b"title = ", path="designs/course.toml")
    with pytest.raises(DesignError, match="titel"):
        parse_course(b'titel = "x"', path="designs/course.toml")


def _links(markdown: str) -> list[str]:
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown) + re.findall(r'(?:src|href)="([^"]+)"', markdown)
    return [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.mark.skipif(not (OUTPUT / "README.md").exists(), reason="output/ has not been built")
def test_every_link_in_output_resolves() -> None:
    broken = []
    for page in sorted(OUTPUT.rglob("*.md")):
        for target in _links(page.read_text(encoding="utf-8")):
            path = (page.parent / unquote(target.split("#")[0])).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, broken


@pytest.mark.skipif(not (OUTPUT / "README.md").exists(), reason="output/ has not been built")
def test_course_index_covers_fifteen_lessons_and_forty_diagrams() -> None:
    text = (OUTPUT / "README.md").read_text(encoding="utf-8")
    lessons = set(re.findall(r"^### Lesson (\d+)", text, flags=re.M))
    assert lessons == {str(n) for n in range(1, 16)}
    assert len(list(OUTPUT.glob("*/*.svg"))) >= 40


@pytest.mark.skipif(not (OUTPUT / "README.md").exists(), reason="output/ has not been built")
def test_committed_output_is_what_a_build_writes() -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["check", str(ROOT / "designs"), "--out", str(OUTPUT)])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(not (OUTPUT / "README.md").exists(), reason="output/ has not been built")
def test_every_picture_of_the_course_passes_the_picture_review() -> None:
    """Label to edge distance, labels on labels, nodes and frames, frame gaps on every SVG; text size and aspect
    ratio on a 1920x1080 slide for every overview, flow and stage picture (BP130-BP136)."""
    from generator.build.pipeline import load_prepared
    from generator.plan.views import DiagramView
    from generator.render.review import review_svg

    found, seen = [], 0
    for path in sorted((ROOT / "designs").glob("*.yaml")):
        record = load_prepared(path)
        for view in record.views:
            svg = (OUTPUT / record.design.id / f"{view.stem}.svg").read_text(encoding="utf-8")
            seen += 1
            found += [
                f"{record.design.id}/{view.stem}.svg: {f.code} {f.message}"
                for f in review_svg(svg, slide=isinstance(view, DiagramView))
            ]
    assert seen >= 90, "every picture of the course was reviewed"
    assert not found, "\n".join(found)


@pytest.mark.skipif(not (OUTPUT / "README.md").exists(), reason="output/ has not been built")
def test_every_svg_in_output_is_self_contained_and_every_png_matches_it() -> None:
    problems = []
    for svg_path in sorted(OUTPUT.glob("*/*.svg")):
        svg = svg_path.read_text(encoding="utf-8")
        name = svg_path.relative_to(OUTPUT).as_posix()
        lowered = svg.lower()
        external = re.search(r'href=|url\((?!data:)|="(?:/|file:)', svg)
        if "<script" in lowered or "foreignobject" in lowered or external:
            problems.append(f"{name}: script, foreignObject or an external reference")
        if "@font-face" not in svg and "DejaVu Sans" not in svg:
            problems.append(f"{name}: neither an embedded font nor the clean theme's system font")
        if not re.search(r"<title id=\"bp-title\">[^<]+</title>\s*<desc id=\"bp-desc\">[^<]+</desc>", svg):
            problems.append(f"{name}: no <title> and <desc>")
        png = svg_path.with_suffix(".png").read_bytes()
        width = int(re.search(r'<svg[^>]*\swidth="(\d+)"', svg)[1])  # type: ignore[index]
        png_width = int.from_bytes(png[16:20], "big")
        if png[:8] != b"\x89PNG\r\n\x1a\n" or not (
            png_width == 2 * width or png_width * int.from_bytes(png[20:24], "big") <= 16_000_000
        ):
            problems.append(f"{name}: the PNG is not the SVG at 2x")
    assert not problems, problems


def test_url_shortener_writeup_quotes_the_computed_estimates() -> None:
    from generator.build.pipeline import load_design, render_writeup

    text = render_writeup(load_design(ROOT / "designs" / "url-shortener.yaml"), source="designs/url-shortener.yaml")
    # By hand: 100M / 86,400 s = 1,157/s; x10 reads; 100M x 3,650 days = 365B records; x 100 B = 36.5 TB.
    for figure in ("1,160 /s", "11,600 /s", "365B records", "36.5 TB"):
        assert figure in text, figure


def test_writeup_names_its_lesson_and_part_from_the_course_file() -> None:
    from generator.build.pipeline import render_writeup

    course = Course(parts=[Part(title="Part 3: Classic problems", lessons=[11])], lessons={11: "URL shortener"})
    text = render_writeup(design("u", 11, "Short links"), source="d.yaml", course=course)
    assert "*Lesson 11: URL shortener · Part 3: Classic problems*" in text
    assert "*Lesson 11*" in render_writeup(design("u", 11, "Short links"), source="d.yaml")


def test_the_cheat_sheet_is_computed_with_the_designs_year() -> None:
    from generator.analysis.reliability import downtime_per_year
    from generator.build.pipeline import render_appendix

    pages = render_appendix([], course=Course(cheat_sheet=True))
    sheet = pages["appendix/cheat-sheet.md"].decode()
    assert f"| 99.9% | {downtime_per_year(0.999)} | 43 min 12 s | 1 min 26 s |" in sheet
    assert "| 1M | 11.6 | 23.1 | 30M |" in sheet  # 1,000,000 / 86,400 a second, twice that at peak
    assert "| 2^30 | 1,073,741,824 | about 10^9 (billion) | 1 GB |" in sheet
    assert "| round trip within one data centre | 500 µs | 1M |" in sheet
    assert "Jeff Dean" in sheet and list(pages) == ["appendix/cheat-sheet.md"]


def test_the_glossary_links_each_term_to_the_designs_that_use_it() -> None:
    from generator.build.pipeline import render_appendix

    course = Course(glossary={"read replica": "A copy that serves reads.", "saga": "Compensating steps."})
    uses = design("a", 1, "Alpha").model_copy(update={"summary": "Reads go to a read replica."})
    pages = render_appendix([uses, design("b", 1, "Beta")], course=course)
    glossary = pages["appendix/glossary.md"].decode()
    assert "**read replica**: A copy that serves reads. *Used in:* [Alpha](../a/README.md)." in glossary
    assert "**saga**: Compensating steps.\n" in glossary  # no design uses it: no links
    index = render_index([uses], course=course).decode()
    assert "[Glossary](appendix/glossary.md)" in index


def test_a_course_panel_sets_pictures_of_several_designs_side_by_side() -> None:
    from generator.build.pipeline import render_appendix
    from generator.frontend.course import CoursePanel
    from generator.plan.prepare import read_design
    from generator.render.review import review_svg

    def record(ident: str, steps: str) -> Any:
        flows = f"flows:\n  - id: w\n    steps: [{steps}]\n"
        text = f"title: {ident}\ncomponents: [{{id: app}}, {{id: db, kind: sql}}]\n" + flows
        found, errors = read_design(text.encode(), path=f"{ident}.yaml", default_id=ident)
        assert found is not None, errors
        return found

    one, two = record("one-design", '"app -> db: write"'), record("two-design", '"app --> db: queue it"')
    course = Course(panels=[CoursePanel(id="both", title="Both", views=["one-design/overview", "two-design/overview"])])
    pages = render_appendix([one, two], course=course)
    svg = pages["appendix/panel-both.svg"].decode()
    assert svg.count('class="panel-picture"') == 2 and "a request" in svg and "a reply" in svg
    assert review_svg(svg) == [] and pages["appendix/panel-both.png"].startswith(b"\x89PNG")
    assert "## Comparisons across designs" in render_index([one, two], course=course).decode()
    # A picture a design does not draw leaves the panel out (the build reports it at its line).
    wrong = Course(panels=[CoursePanel(id="both", title="Both", views=["one-design/overview", "two-design/nope"])])
    assert "appendix/panel-both.svg" not in render_appendix([one, two], course=wrong)


def test_a_course_panel_naming_no_design_is_an_error_at_its_line() -> None:
    raw = b'[[panels]]\nid = "p"\ntitle = "P"\nviews = ["url-shortner/overview", "url-shortener/write"]\n'
    found = [str(d) for d in course_diagnostics(raw, path="c.toml", designs={"url-shortener"})]
    assert found == [
        "c.toml:4:10: error: panel 'p' shows 'url-shortner/overview', which is no design's picture "
        "(name it design/picture, as url-shortener/overview (did you mean 'url-shortener'?))"
    ]
