"""Take-home handout: content, one self-contained file, no external loads, size, print CSS, plain language."""

from __future__ import annotations

import os
import re
import tempfile
from html import escape
from pathlib import Path

import pytest
import textstat

from sciatica_edu import __version__, advice, anatomy, cli, diagram, export, handout, redflags
from sciatica_edu.scenario import Compression

CLI_EXAMPLE = Compression("L5-S1", "paracentral", "left", 0.6)
MAX_BYTES = 5_000_000  # "<= 5 MB", read strictly as decimal megabytes
MAX_GRADE = 7.0


@pytest.fixture(scope="module")
def page() -> str:
    return handout.handout_html(CLI_EXAMPLE)


def _grade(text: str) -> float:
    """Flesch-Kincaid grade of visible text; lines without an end mark get a full stop (headings, list items)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln if re.search(r"[.!?:;]$", ln) else ln + "." for ln in lines]
    text = re.sub(r"\[S\d+[a-z]?(?:,\s*S\d+[a-z]?)*\]", "", " ".join(lines))
    return float(textstat.flesch_kincaid_grade(text))


def test_diagram_is_there_with_plotly_js_inlined(page):
    assert 'id="diagram"' in page and "Plotly.newPlot(" in page
    assert re.search(r"plotly\.js (\(basic - minified\) )?v\d+\.\d+\.\d+", page)  # the library itself, inline
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    # the figure is this patient's: S1 painted on the left (fill colours of painted regions appear)
    assert any(colour in page for colour in diagram.PALETTE)


def test_description_helps_red_flags_and_sources(page):
    assert diagram.describe_html(CLI_EXAMPLE) in page
    assert "It presses on the S1 nerve root" in page
    for a in advice.items():  # every advice item: recovery, self-care, medicines, scans, injections, operations
        assert escape(a.text) in page
    assert redflags.box_html() in page
    words = handout.visible_text(page)
    assert "999" in words and "911" not in words  # one locale per page: the UK's by default
    assert escape(redflags.action("soon")) in page
    for flag in redflags.flags_at("urgent"):  # the serious-cause signs, each with the same-day action
        assert escape(flag.label) in page
    assert f"last checked against its sources on {advice.last_checked().isoformat()}" in page
    assert f"sciatica-edu {__version__}" in page


@pytest.mark.parametrize(("locale", "says", "never"), [
    ("uk", ["A&amp;E", "999", "NHS 111"], ["911", "emergency room", "urgent care"]),
    ("us", ["911", "emergency room", "urgent care"], ["A&amp;E", "999", "NHS", "GP"]),
    ("intl", ["local emergency number"], ["A&amp;E", "999", "911", "NHS 111"]),
])
def test_a_handout_speaks_for_one_locale(locale, says, never):
    page = handout.handout_html(CLI_EXAMPLE, figure="", locale=locale)
    text = handout.visible_text(page).replace("&", "&amp;")  # without the Sources (their titles may name the NHS)
    for word in says:
        assert word in text, word
    for word in never:
        assert word not in text, word


def test_the_header_states_the_picture_in_words_with_the_exact_strength():
    page = handout.handout_html(Compression("L5-S1", "paracentral", "right", 0.65), figure="")
    header = page.split('<p class="settings">')[1].split("</p>")[0]
    assert "The L5-S1 disc bulges just off the middle, on the right side" in header
    assert "How strong: moderate" in header and "0.7" not in header and "of 1" not in header


def test_every_cited_id_is_listed_with_its_citation(page):
    body = page.split('<ol class="sources">')
    assert len(body) == 2, "one Sources list"
    prose = re.sub(r"<script\b.*?</script>", "", body[0], flags=re.S)
    cited = set(re.findall(r"S\d+[a-z]?", " ".join(re.findall(r"\[(S[^\]]+)\]", prose))))
    listed = re.findall(r'<li id="(S\d+[a-z]?)">', body[1])
    assert cited and set(listed) == cited
    assert len(listed) == len(set(listed))
    for ref_id in listed:
        assert f"<strong>[{ref_id}]</strong> {escape(anatomy.reference(ref_id).citation)}" in body[1]


def test_no_external_loads_at_all(page):
    assert export.external_loads(page) == []
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S | re.I)
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I)
    # the only outside addresses are links a reader may click, each to a canonical source (tests/test_evidence.py)
    links = re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)""", markup, re.I)
    assert links and all(anatomy.is_canonical(u) for u in links)
    assert len(re.findall(r"""\bhref\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I)) == len(links)
    assert "<link" not in markup.lower() and "@import" not in markup and "@font-face" not in markup


def test_print_css_for_a4_and_letter_in_black_and_white(page):
    assert "@page" in page and "@media print" in page
    css = page.split("<style>")[1].split("</style>")[0]
    assert "size:" not in css.split("@page")[1].split("}")[0]  # no fixed size: the printer's A4 or Letter
    print_css = css.split("@media print")[1]
    assert "zoom: 0.78" in print_css and ".modebar" in print_css
    # the figure fits the printable width of both papers at 96 px per inch, margins 13 mm each side
    width_px = handout.FIGURE_SIZE[0] * 0.78
    for paper_mm in (210, 215.9):
        assert width_px / 96 * 25.4 <= paper_mm - 2 * 13
    # black and white: the kinds of symptom are patterns, not only colours
    assert set(diagram.KIND_PATTERNS.values()) - {""}


@pytest.mark.parametrize(
    "compression",
    [CLI_EXAMPLE, Compression("L4-L5", "central", "both", 1.0), Compression("L3-L4", "far_lateral", "right", 0.3)],
    ids=lambda c: f"{c.disc}-{c.zone}-{c.side}-{c.severity}",
)
def test_size_and_reading_grade(compression):
    page = handout.handout_html(compression)
    size = len(page.encode("utf-8"))
    print(f"\n{handout.handout_filename(compression)}: {size / 1e6:.3f} MB")
    assert size <= MAX_BYTES
    text = handout.visible_text(page)
    grade = _grade(text)
    print(f"Flesch-Kincaid grade {grade:.2f}")
    assert grade <= MAX_GRADE
    assert "Sources" in text and "NICE NG59" not in text  # the citations are left out of the measure


def test_the_grade_measure_can_fail():
    hard = handout.visible_text(
        "<p>Lumbosacral radiculopathy necessitates comprehensive neurological examination incorporating "
        "provocative manoeuvres and electrodiagnostic investigations.</p>"
    )
    assert _grade(hard) > MAX_GRADE


def test_visible_text_skips_scripts_styles_and_sources():
    html = ('<head><title>T</title><style>p{}</style></head><body><p>Seen.</p><script>var x = "unseen";</script>'
            '<ol class="sources"><li>Cited <b>work</b>.</li></ol><p>Also seen.</p></body>')
    text = handout.visible_text(html)
    assert "Seen." in text and "Also seen." in text
    assert "unseen" not in text and "p{}" not in text and "Cited" not in text
    assert "Cited work." in handout.visible_text(html, skip_sources=False)


def test_cli_writes_the_handout(tmp_path, capsys):
    out = tmp_path / "handout.html"
    code = cli.main(["handout", "--disc", "L5-S1", "--zone", "paracentral", "--side", "left",
                     "--severity", "0.6", "--out", str(out)])
    assert code == 0
    assert str(out) in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == handout.handout_html(CLI_EXAMPLE)
    assert [p.name for p in tmp_path.iterdir()] == ["handout.html"]  # no temporary file left


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "handout.html"
    out.write_text("old")

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    real_replace, real_link = os.replace, os.link
    monkeypatch.setattr(handout.os, "replace", broken)
    with pytest.raises(OSError):
        handout.write_handout(CLI_EXAMPLE, out, overwrite=True)
    monkeypatch.setattr(handout.os, "replace", real_replace)
    monkeypatch.setattr(handout.os, "link", broken)  # the path that never replaces (a numbered name)
    with pytest.raises(OSError):
        handout.write_handout(CLI_EXAMPLE, out)
    monkeypatch.setattr(handout.os, "link", real_link)
    assert [p.name for p in tmp_path.iterdir()] == ["handout.html"] and out.read_text() == "old"


def test_handouts_never_silently_overwrite_each_other(tmp_path):
    """Two handouts with the same settings (the session's button pressed twice): two files, numbered."""
    out = tmp_path / handout.handout_filename(CLI_EXAMPLE)
    first = handout.write_handout(CLI_EXAMPLE, out)
    out.write_text("the first one, changed by hand")
    second = handout.write_handout(CLI_EXAMPLE, out)
    assert first == out and second == tmp_path / "handout-L5-S1-paracentral-left-60-2.html"
    assert out.read_text() == "the first one, changed by hand"
    assert handout.write_handout(CLI_EXAMPLE, out).name.endswith("-60-3.html")
    assert handout.write_handout(CLI_EXAMPLE, out, overwrite=True) == out and out.read_text().startswith("<!DOCTYPE")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_file_name_says_what_it_shows():
    assert handout.handout_filename(CLI_EXAMPLE) == "handout-L5-S1-paracentral-left-60.html"
    assert handout.handout_filename(Compression("L4-L5", "far_lateral", "both", 0.05)) == (
        "handout-L4-L5-far-lateral-both-05.html"
    )


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
def test_handout_draws_offline_in_chromium(tmp_path):
    """Open the file with every non-file request blocked: the figure draws and nothing was asked for."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing")
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    out = handout.write_handout(CLI_EXAMPLE, tmp_path / "handout.html")
    asked: list[str] = []
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), args=args,
                                                       headless=True)
        try:
            def route(r):
                url = r.request.url
                if url.startswith(("file://", "data:", "blob:")):
                    return r.continue_()
                asked.append(url)
                return r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.goto(out.as_uri())
            page.wait_for_selector("#diagram .main-svg", timeout=30_000)
            fills = page.eval_on_selector_all(
                "#diagram .scatterlayer .trace path.js-fill", "els => els.map(e => getComputedStyle(e).fill)"
            )
            page.emulate_media(media="print")
            box = page.eval_on_selector("figure.diagram > div", "e => e.getBoundingClientRect().width")
        finally:
            context.close()
    assert asked == []
    palette = {"rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (1, 3, 5))) for h in diagram.PALETTE}
    assert len(fills) > 20 and palette & set(fills)  # painted regions, not only the outline
    assert box <= handout.FIGURE_SIZE[0] * 0.78 + 1
