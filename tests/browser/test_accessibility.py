"""Accessibility (issue 7, item 2): axe-core on the session view and a handout, and the session view by keyboard.

axe-core ships inside axe-playwright-python (no network). Every violation is printed; the tests fail on any
serious or critical one. The keyboard test uses Tab and the arrow keys only: no mouse, no scripted value.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from .conftest import painted, wait_drawn, wait_fills_change
from .test_session import description, open_session

CLI = Path(sys.executable).parent / "sciatica-edu"
BLOCKING = ("serious", "critical")


def axe_report(page, where: str, artefacts: Path) -> list[dict]:
    """Run axe-core on the page; print and save every violation; return the serious and critical ones."""
    results = Axe().run(page)
    violations = results.response["violations"]
    lines = [f"axe-core {results.response.get('testEngine', {}).get('version', '?')} on {where}: "
             f"{len(violations)} violation(s)"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} node(s)) {v['helpUrl']}")
        for node in v["nodes"][:5]:
            why = (node.get("failureSummary") or "").splitlines()[-1:]
            lines.append(f"    {' '.join(map(str, node['target']))}: {' '.join(why)}")
    report = "\n".join(lines)
    print(report)
    (artefacts / "axe.txt").write_text(report + "\n")
    return [v for v in violations if v["impact"] in BLOCKING]


def test_axe_session_view(voila_server, browser):
    """The session view, drawn: no serious or critical axe-core violations."""
    page, _gd, _fills = open_session(browser, voila_server)
    browser.shot("session", full_page=True)
    bad = axe_report(page, "the session view", browser.artefacts)
    assert not bad, "serious/critical axe violations: " + "; ".join(f"{v['id']} ({v['help']})" for v in bad)


def test_axe_handout(file_browser, tmp_path):
    """A handout opened from file: no serious or critical axe-core violations."""
    out = tmp_path / "handout.html"
    run = subprocess.run([str(CLI), "handout", "--disc", "L4-L5", "--side", "right", "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page = file_browser.page
    page.goto(out.as_uri())
    wait_drawn(page, page.query_selector(".js-plotly-plot"))
    file_browser.shot("handout", full_page=True)
    bad = axe_report(page, "a handout", file_browser.artefacts)
    assert not bad, "serious/critical axe violations: " + "; ".join(f"{v['id']} ({v['help']})" for v in bad)


def focused(page) -> dict:
    """What has the keyboard focus: tag, the ipywidgets label of its control, and its text."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const box = el && el.closest('.widget-inline-hbox, .widget-toggle-buttons, .jupyter-widgets');
          const label = box && box.querySelector('.widget-label');
          const text = !el ? '' : el.tagName === 'SELECT'
            ? (el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : '') : (el.innerText || el.value || '');
          return {tag: el ? el.tagName : '', label: label ? label.textContent.trim() : '',
                  text: text.replace(/\\s+/g, ' ').trim()};
        }"""
    )


def tab_to(page, want, limit: int = 150) -> dict:
    """Press Tab until ``want(focused)`` holds; fail after ``limit`` presses (the control is not reachable)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(now)
        if want(now):
            print(f"reached {now['label']!r} with {len(seen)} Tab presses")
            return now
    raise AssertionError(f"not reached with Tab in {limit} presses; last focus: {seen[-5:]}")


def test_session_view_by_keyboard(voila_server, browser):
    """Tab to the disc control, change it with the arrow keys: the diagram and its words follow."""
    page, gd, fills0 = open_session(browser, voila_server)
    before = description(page)
    assert "L4-L5" in before and "left side" in before, before
    disc = tab_to(page, lambda f: f["tag"] == "SELECT" and f["label"].lower().startswith("disc"))
    browser.shot("disc-focused")
    assert disc["text"].startswith("L4-L5"), disc
    page.keyboard.press("ArrowDown")  # L4-L5 -> L5-S1, the next disc down
    fills1 = wait_fills_change(gd, fills0)
    browser.shot("disc-changed-by-keyboard")
    assert focused(page)["text"].startswith("L5-S1")
    page.wait_for_function(
        "() => /L5-S1/.test(document.querySelector('.sciatica-description').innerText)", timeout=30_000
    )
    after = description(page)
    assert "S1 nerve root" in after and "left side" in after, after
    assert painted(fills1, "right") == set() and {"heel", "posterior_leg"} <= painted(fills1, "left")
