"""Clinician session view: presets set the controls, the handout button writes, plain text, the Voila app serves."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html import escape
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest

from sciatica_edu import diagram, widgets
from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import anatomy, redflags
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import export, handout
from sciatica_edu.widgets import session, session_page

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "10-clinician-session.ipynb"
REQUIRED = [
    "L4-L5 disc, left (L5)",
    "L5-S1 disc, right (S1)",
    "foraminal L4-L5 (L4)",
    "central stenosis, long-standing (both legs)",
]
IDS = ["l4-l5-left", "l5-s1-right", "foraminal-l4-l5-left", "central-stenosis"]


@pytest.fixture
def view(tmp_path) -> session.SessionView:
    return session.SessionView(handout_dir=tmp_path / "handouts")


def test_the_presets_are_there_in_order_with_stable_ids():
    assert [p.label for p in session.presets()] == REQUIRED
    assert [p.id for p in session.presets()] == IDS
    for p in session.presets():
        assert session.preset(p.id) == session.preset(p.label) == p


def test_the_stenosis_preset_is_long_standing_and_not_an_emergency():
    stenosis = session.preset("central-stenosis").compression
    assert (stenosis.cause, stenosis.onset, stenosis.zone, stenosis.side) == (
        "spinal_stenosis", "long_standing", "central", "both")
    assert redflags.urgency(stenosis.red_flags()) == "soon"
    new_disc = Compression(stenosis.disc, "central", "both", stenosis.severity)  # a new disc bulge, same picture
    assert (new_disc.cause, new_disc.onset) == ("disc_herniation", "new")
    assert redflags.urgency(new_disc.red_flags()) == "emergency"


@pytest.mark.parametrize("label", REQUIRED)
def test_each_preset_shows_what_its_label_says(label):
    """The label names the disc, the side and the root; the Compression must agree (read from data/, not copied)."""
    c = session.preset(label).compression
    root = re.search(r"\((L\d|S\d)\)", label)
    if root:
        assert c.disc in label
        assert c.roots == (root.group(1),) == anatomy.compressed_roots(c.disc, c.zone)
        side = "left" if "left" in label else "right" if "right" in label else c.side
        assert c.side == side
    else:
        assert "both legs" in label and c.side == "both" and c.zone == "central"
        assert ("stenosis" in label) == (c.cause == "spinal_stenosis")
        assert ("long-standing" in label) == (c.onset == "long_standing")
    if "foraminal" in label:
        assert c.zone == "foraminal"


@pytest.mark.parametrize("label", REQUIRED)
def test_preset_button_sets_the_controls_and_the_diagram(view, label):
    heard: list[Compression] = []
    view.controls.observe(heard.append)
    view.preset_buttons[label].click()
    want = session.preset(label).compression
    assert view.controls.compression == want == view.compression
    assert view.diagram.compression == want
    assert heard == [want]  # observers hear about a preset once, not once per control
    assert want.disc in view.pressing.value and want.roots[0] in view.pressing.value
    styles = {lab: b.button_style for lab, b in view.preset_buttons.items()}
    assert styles[label] == "info" and all(s == "" for lab, s in styles.items() if lab != label)


def test_the_spine_drawing_follows_the_controls(view):
    """The larger spine is redrawn for each new scenario: its one output is a fresh spine_figure of that scenario."""
    view.what_is_pressing()
    shown_before = None
    for label in REQUIRED:
        view.apply_preset(label)
        want = session.preset(label).compression
        (out,) = view.spine.outputs
        shown = out["data"]["application/vnd.plotly.v1+json"]
        fresh = json.loads(diagram.spine_figure(want, width=session.SPINE_SIZE[0],
                                                height=session.SPINE_SIZE[1]).to_json())
        assert shown["data"] == fresh["data"]
        assert shown["layout"]["annotations"] == fresh["layout"]["annotations"]
        assert want.disc in out["data"]["text/plain"] and want.roots[0] in out["data"]["text/plain"]
        assert shown != shown_before  # each preset is a different picture
        shown_before = shown
    view.controls.severity.value = 0.2  # free controls too, not only presets
    assert view.spine.outputs[0] == session.spine_output(view.compression)


def _all_widgets(widget) -> list:
    found, todo = [], [widget]
    while todo:
        w = todo.pop()
        found.append(w)
        todo.extend(getattr(w, "children", ()))
    return found


def test_the_session_has_one_plotly_widget_only(view):
    """Each FigureWidget carries its front-end code in its widget state: outside Voila the session shows one."""
    shown = [w for box in (view.page(), view.where(), view.what_is_pressing()) for w in _all_widgets(box)]
    figures = [w for w in shown if isinstance(w, go.FigureWidget)]
    assert figures == [view.diagram.figure]
    assert view.spine in shown and not hasattr(view.spine, "_esm")


def test_in_voila_both_figures_load_plotly_code_from_the_page_not_the_state(monkeypatch, tmp_path):
    """Served by `present`, the widget state carries a short loader (same for both figures), not the code each;
    the spine is then a live FigureWidget that follows the controls in place."""
    monkeypatch.setenv(session.WIDGET_CODE_ENV, "templates/sciatica/static/figure-widget.js")
    view = session.SessionView(handout_dir=tmp_path)
    view.what_is_pressing()
    assert isinstance(view.spine, go.FigureWidget)
    loader = view.diagram.figure._esm
    assert loader == view.spine._esm == session.widget_code_loader("templates/sciatica/static/figure-widget.js")
    assert len(loader) < 1000 and "import(" in loader and "window.location" in loader
    assert "http://" not in loader and "https://" not in loader  # the page's own origin, never another host
    assert len(widgets.figure_widget_code()) > 1_000_000  # what it replaces: plotly.js and the widget code
    assert view.spine._widget_data == view.spine._data  # painted from the first view
    for label in REQUIRED[1:]:
        view.apply_preset(label)
        fresh = diagram.spine_figure(session.preset(label).compression, width=session.SPINE_SIZE[0],
                                     height=session.SPINE_SIZE[1]).to_plotly_json()
        shown = view.spine.to_plotly_json()
        for a, b in zip(shown["data"], fresh["data"], strict=True):
            a.pop("uid", None)
            assert a == b
        assert shown["layout"]["annotations"] == fresh["layout"]["annotations"]


@pytest.mark.parametrize("path", ["../x.js", "https://example.org/x.js", "a.css", "x.js\"; alert(1); //"])
def test_widget_code_loader_refuses_odd_paths(path):
    with pytest.raises(ValueError, match=r"relative \.js path"):
        session.widget_code_loader(path)


def test_free_controls_update_the_picture_and_clear_the_preset_mark(view):
    view.apply_preset("L5-S1 disc, right (S1)")
    view.controls.severity.value = 0.9
    assert view.diagram.compression == Compression("L5-S1", "paracentral", "right", 0.9)
    assert all(b.button_style == "" for b in view.preset_buttons.values())
    view.controls.zone.value = "foraminal"
    assert "L5" in view.pressing.value and "side opening" in view.pressing.value


def test_make_handout_writes_the_current_settings_and_says_where(view, tmp_path):
    view.apply_preset("foraminal L4-L5 (L4)")
    path = view.make_handout()
    want = session.preset("foraminal L4-L5 (L4)").compression
    assert path == tmp_path / "handouts" / handout.handout_filename(want)
    assert path.read_text(encoding="utf-8") == handout.handout_html(want)
    assert str(path) in view.handout_status.value
    assert not view.handout_button.disabled
    view.controls.severity.value = 0.3
    assert view.handout_status.value == ""  # a new picture: the old message goes


def test_make_handout_reports_a_folder_it_cannot_use(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    view = session.SessionView(handout_dir=blocker / "sub")
    assert view.make_handout() is None
    assert "Could not save the handout" in view.handout_status.value
    assert not view.handout_button.disabled


def test_handout_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(session.HANDOUT_DIR_ENV, str(tmp_path / "here"))
    assert session.default_handout_dir() == tmp_path / "here"
    monkeypatch.delenv(session.HANDOUT_DIR_ENV)
    assert session.default_handout_dir() == Path.home() / "sciatica-edu-handouts"


def test_a_bad_preset_is_refused():
    with pytest.raises(ValueError, match="unknown disc 'L9-L9'"):
        _ = session.Preset(id="broken", label="broken one", disc="L9-L9", zone="central", side="both",
                           severity=0.5).compression
    with pytest.raises(ValueError, match="unknown preset"):
        session.preset("L4-L5 left")


def test_red_flags_are_always_on_the_page(view):
    page = view.page().value
    assert "<style>" in page and ".sciatica-session" in page
    for flag in redflags.red_flags():
        if flag.urgency == "emergency":
            assert flag.label[1:].lower() in page.lower()
    assert escape(redflags.strip_text()[1]) in page
    assert "Go to A&amp;E (emergency department) or call 999 now." in page and "advice for the UK" in page
    assert "position: fixed" in page  # in Voila the strip stays at the foot of the screen


def test_the_figure_shows_its_painted_state_from_the_first_view(view):
    """Repaints made before a browser connects are lost; where() copies the painted state into the widget."""
    box = view.where()
    figure = view.diagram.figure
    assert figure in list(_all_widgets(box))
    painted = {t.get("fillcolor") for t in figure._widget_data}
    assert painted & set(diagram.PALETTE)
    view.what_is_pressing()  # the spine's figure is in the Output's state from the start, not sent later
    assert view.spine.outputs == (session.spine_output(session.presets()[0].compression),)


def test_session_controls_are_big_and_keyboard_operable(view):
    css = session.page_css()
    assert re.search(r"font-size: 20px", css) and ":focus-visible" in css
    box = view.where()
    assert "sciatica-session" in box._dom_classes
    assert all(b.description for b in view.preset_buttons.values())  # buttons say what they do
    assert view.handout_button.description == "Make handout" and view.handout_button.tooltip


def test_the_page_carries_the_step_bar_and_docks_the_strip(view):
    """page(): the styles, one button per step and the strip (wrapped for the template to dock at the foot)."""
    page = view.page().value
    assert f'<div class="sciatica-dock-bottom">{session.red_flag_strip_html()}</div>' in page
    nav = session.steps_nav_html()
    assert nav in page and "sciatica-dock-top" in nav
    assert [m for m in re.findall(r'data-step="(\w+)"', nav)] == [sid for sid, _l, _h in session.STEPS]
    assert nav.count('aria-current="step"') == 1 and f'data-step="{session_page.FIRST_STEP}" aria-current' in nav


def test_every_heading_of_the_notebook_opens_a_step_in_order():
    """The template groups cells by the step of the last heading above them: every step's headings must exist,
    in the notebook's order, and the diagram must be in the first step's place the page opens at."""
    nb = _notebook()
    heads = [ln.lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown"
             for ln in c.source.splitlines() if re.match(r"#{1,2} ", ln)]
    named = [h for _sid, _label, hs in session.STEPS for h in hs]
    assert set(named) <= set(heads), f"steps name headings the notebook lacks: {set(named) - set(heads)}"
    assert [h for h in heads if h in named] == named, "the steps are not in the notebook's order"
    step_of, current = {}, session.STEPS[0][0]
    for c in nb.cells:
        for ln in c.source.splitlines():
            h = ln.lstrip("#").strip()
            if re.match(r"#{1,2} ", ln) and h in named:
                current = next(sid for sid, _l, hs in session.STEPS if h in hs)
        step_of.setdefault(current, []).append(c)
    assert any("view.where()" in c.source for c in step_of[session_page.FIRST_STEP])
    assert any("view.what_is_pressing()" in c.source for c in step_of["pressing"])
    assert all(step_of.get(sid) for sid, _l, _h in session.STEPS), "a step with no cells"


def test_the_session_diagram_has_large_text_and_room_for_it(view):
    fig = view.diagram.figure
    sizes = [a.font.size for a in fig.layout.annotations if a.visible is not False]
    sizes += [t.textfont.size for t in fig.data if t.mode and "text" in t.mode]
    assert min(sizes) >= session.FIGURE_MIN_FONT
    assert (fig.layout.width, fig.layout.height) == session.FIGURE_SIZE
    texts = [a.text for a in fig.layout.annotations if a.visible is not False]
    assert "<b>FRONT</b><br>facing you" in texts
    # the patient picture names each leg in both views; the spine panel says LEFT once
    assert sum(t == "<b>left</b><br>leg" for t in texts) == 2 and sum(t == "<b>LEFT</b>" for t in texts) == 1
    assert not any("Warning sign" in t for t in texts)  # shown over the diagram instead (figure_warning)
    with pytest.raises(ValueError, match="session_layout"):
        session.session_layout(diagram.spine_figure())
    for bad in (0, 7.5, True, 100):
        with pytest.raises(ValueError, match="whole number of px from 8 to 72"):
            session.enlarge_text(diagram.body_figure(), bad)


def test_the_figure_warning_follows_the_picture(view):
    assert view.figure_warning.value == "" and view.figure_warning.layout.display == "none"
    severe = Compression("L4-L5", "central", "both", 1.0)
    view.controls.set(severe)
    assert escape(redflags.action("emergency")) in view.figure_warning.value
    assert view.figure_warning.layout.display is None
    stenosis = session.preset("central-stenosis").compression
    view.controls.set(stenosis)  # a long-standing stenosis: see a doctor soon, and when it becomes an emergency
    assert escape(redflags.action("soon")) in view.figure_warning.value
    assert escape(redflags.action("emergency")) in view.figure_warning.value
    view.controls.set(severe)
    assert view.figure_warning.value == session.figure_warning_html(severe, view.controls.kinds)
    view.apply_preset(session.presets()[0].label)
    assert view.figure_warning.value == ""


def test_the_handout_link_carries_the_saved_file_and_clears_with_a_new_picture(view, tmp_path):
    assert view.handout_link.html == ""
    path = view.make_handout()
    assert view.handout_link.html == path.read_text(encoding="utf-8") and view.handout_link.filename == path.name
    assert "URL.createObjectURL" in session.HANDOUT_LINK_JS and "fetch(" not in session.HANDOUT_LINK_JS
    view.apply_preset(session.presets()[1].label)
    assert view.handout_link.html == ""  # not the old patient's page under the new picture


# ----------------------------------------------------------------------------- the notebook


def _notebook() -> nbformat.NotebookNode:
    return nbformat.read(str(NOTEBOOK), as_version=4)


def test_notebook_is_for_clinicians_and_committed_clean():
    nb = _notebook()
    assert nb.metadata["sciatica_edu"]["audience"] == "clinician"
    assert "widgets" not in nb.metadata
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert all(len(c.source.splitlines()) <= 5 for c in code)  # thin: the logic is in sciatica_edu.session


def test_notebook_walks_the_ten_minute_flow():
    markdown = "\n".join(c.source for c in _notebook().cells if c.cell_type == "markdown")
    heads = re.findall(r"^## (.+)$", markdown, re.M)
    flow = ["What sciatica is", "Where you may feel it", "What is pressing on the nerve", "How it gets better",
            "When to get help fast"]
    positions = [heads.index(h) for h in flow]
    assert positions == sorted(positions)
    assert re.search(r"Time to read: about 10 minutes", _notebook().cells[0].source)


def test_visible_text_reads_at_grade_7_or_below(view):
    """Everything a patient reads on the session page: the Markdown and the words the widgets show."""
    shown = [
        nt.prose(_notebook()),
        session.red_flag_strip_html(),
        *(session.pressing_html(p.compression) for p in session.presets()),
        *(diagram.describe_html(p.compression) for p in session.presets()),
        "\n".join(f"- {p.label}" for p in session.presets()),
    ]
    grade = nt.reading_grade("\n\n".join(shown))
    print(f"\nsession view: Flesch-Kincaid grade {grade:.2f}")
    assert grade <= 7.0


# ----------------------------------------------------------------------------- the Voila app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_voila_app_serves_the_session_page_and_stops_cleanly(tmp_path):
    port = _free_port()
    script = Path(sys.executable).parent / "sciatica-edu"
    log = (tmp_path / "voila.log").open("w")
    start = time.monotonic()
    proc = subprocess.Popen(
        [str(script), "present", "--no-browser", "--port", str(port), "--handouts", str(tmp_path / "h")],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "SCIATICA_EDU_SESSION_TOKEN": "session-test-token"},
    )
    try:
        status, body = None, ""
        while time.monotonic() - start < 90:  # a generous bound for 2 busy CI cores; typically a few seconds
            assert proc.poll() is None, (tmp_path / "voila.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token=session-test-token", timeout=60) as answer:
                    status, body = answer.status, answer.read().decode("utf-8")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.25)
        print(f"\nVoila answered 200 after {time.monotonic() - start:.1f} s")
        assert status == 200
        assert "Your sciatica: a ten-minute talk" in body
        assert "session.SessionView()" not in body and "view.where()" not in body  # code hidden
        assert export.external_loads(body) == []  # no Font Awesome (or anything) from a CDN
        for other in _addresses():  # bound to 127.0.0.1 only: other addresses of this machine refuse
            with pytest.raises((urllib.error.URLError, ConnectionError, TimeoutError)):
                urllib.request.urlopen(f"http://{other}:{port}/", timeout=3)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail("the Voila app did not stop within 20 s of SIGTERM")
        log.close()
    with socket.socket() as s:  # the port is free again: nothing left listening (TIME_WAIT is fine)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen()


def _addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses (may be none in a sealed container)."""
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except socket.gaierror:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent for UDP connect
            found.add(s.getsockname()[0])
        except OSError:
            pass
    return sorted(a for a in found if not a.startswith("127."))


def test_areas_the_patient_points_to_and_the_plan_go_on_the_handout(view, tmp_path):
    """Issue 14: the clinician marks the areas the patient points to and fills in the plan; the handout prints both."""
    import datetime as dt

    view.region_clicked("big_toe", "left")  # not marking: a click changes nothing
    assert view.felt == []
    view.mark_button.value = True
    view.region_clicked("big_toe", "left")
    view.region_clicked("heel", "left")
    view.region_clicked("heel", "left")  # a second click removes it
    view.region_clicked("lateral_leg", "left")
    assert view.felt == [("big_toe", "left"), ("lateral_leg", "left")]
    assert "big toe, left side" in view.felt_html.value and "heel" not in view.felt_html.value
    view.plan_activity.value = "walk 10 minutes, 3 times a day"
    view.plan_follow_up.value = dt.date(2026, 12, 14)
    view.plan_notes.value = "Bring your list of medicines\n\n"
    path = view.make_handout()
    words = handout.visible_text(path.read_text(encoding="utf-8")).replace("\n", " ")
    assert "Where you said you feel it: big toe and outer side of the lower leg (left side)." in words
    assert "Activity goal: walk 10 minutes, 3 times a day" in words and "Monday 14 December 2026" in words
    assert "Note: Bring your list of medicines" in words
    view.clear_felt_button.click()
    assert view.felt == [] and "No areas marked" in view.felt_html.value
    with pytest.raises(ValueError, match="unknown region"):
        view.set_felt([("elbow", "left")])
