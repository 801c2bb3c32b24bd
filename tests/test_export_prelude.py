"""The export kernel's display hook (pages/prelude.py), driven without a kernel: what would a page show?"""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go

from sciatica_edu.pages import prelude
from sciatica_edu.widgets import BodyDiagram

NOTE = '<p class="sciatica-edu-controls-note"><em>The controls here need a running notebook.</em></p>'
MENU = "On this page, choose an example from the menu above the picture."


def shown(obj, patient_note=None):
    out = []
    prelude.StaticDisplay(lambda kind, value: out.append((kind, value)), NOTE, patient_note, MENU).show(obj)
    return out


def test_a_figure_widget_in_a_box_of_controls_becomes_a_plain_figure_and_a_note():
    fw = go.FigureWidget(data=[go.Bar(x=["a"], y=[1], name="widget-trace")])
    fw.data[0].y = [7]
    out = shown(w.VBox([w.Dropdown(options=["x", "y"]), fw]))
    assert [kind for kind, _ in out] == ["figure", "html"]
    figure = out[0][1]
    assert type(figure) is go.Figure and list(figure.data[0].y) == [7]  # its current state, not a live widget
    assert out[1][1] == NOTE


def test_a_control_and_its_label_are_left_out_together():
    out = shown(w.HBox([w.HTML("Or set your own:"), w.IntSlider(description="how much")]))
    assert out == [("html", NOTE)]


def test_sentences_and_printed_output_stay():
    words = w.HTML("<p>This is a sentence about the picture.</p>")
    printed = w.Output()
    printed.outputs = ({"output_type": "stream", "name": "stdout", "text": "hello\n"},)
    out = shown(w.VBox([words, printed]))
    assert out == [("html", words.value), ("text", "hello\n")]  # nothing left out: no note


def test_a_body_diagram_becomes_the_static_figure_with_its_words_and_a_patient_note():
    diagram = BodyDiagram()
    out = shown(w.VBox([w.Dropdown(options=["x"]), diagram.widget]), patient_note="Your clinician can change this.")
    kinds = [kind for kind, _ in out]
    assert kinds == ["html", "html"]
    assert '"sciatica_edu":"static body diagram"' in out[0][1]  # the menu-and-slider figure, words included
    assert "sciatica-description" in out[0][1]
    assert out[1][1] == f'<p class="sciatica-edu-controls-note"><em>Your clinician can change this. {MENU}</em></p>'


def test_words_for_the_live_session_only_are_left_out_without_a_note():
    ask = w.HTML("<p>Ask the patient to point to where they feel it.</p>")
    ask.add_class(prelude.LIVE_ONLY_CLASS)
    kept = w.HTML("<p>In your visit, the doctor, nurse or physio marks where you feel it.</p>")
    out = shown(w.VBox([ask, kept]), patient_note="")
    assert out == [("html", kept.value)]
    ask.remove_class(prelude.LIVE_ONLY_CLASS)  # the same widget without the class is shown: the class decides
    assert shown(w.VBox([ask, kept]), patient_note="") == [("html", ask.value), ("html", kept.value)]


def test_the_sessions_clinician_lines_are_marked_live_only():
    from sciatica_edu import session

    view = session.SessionView()
    box = view.plan_box()
    live_only = [c for c in box.children if isinstance(c, w.HTML) and prelude.LIVE_ONLY_CLASS in c._dom_classes]
    texts = [prelude.text(c) for c in live_only]
    assert any(t.startswith("Ask the patient") for t in texts)
    assert prelude.LIVE_ONLY_CLASS in view.felt_html._dom_classes


def test_a_patient_page_without_a_note_says_nothing_when_only_a_control_is_left_out():
    assert shown(w.IntSlider(), patient_note="") == []


def test_text_and_labels():
    assert prelude.text(w.HTML("<style>p{}</style><b>Or</b> set <script>x()</script>your own:")) == "Or set your own:"
    assert prelude.is_label(w.Label("moderate")) and not prelude.is_label(w.Label("A whole sentence."))
    assert not prelude.is_label(w.IntSlider())
    assert prelude.live(w.VBox([w.Label("pick"), w.Dropdown(options=["a"])]))
    assert not prelude.live(w.VBox([w.Label("only words")]))


def test_a_fixed_size_figure_is_fitted_to_the_page_and_a_free_one_is_not():
    """On an exported page a body picture (fixed 940 px) fits a phone: it goes through fit_html, which stacks a
    patient picture's views or scales another fixed figure down; a figure that sizes itself is left alone."""
    from sciatica_edu import diagram
    from sciatica_edu.scenario import Compression

    renderer = prelude._StaticRenderer()
    body = diagram.body_figure(Compression("L4-L5", "paracentral", "left", 0.6)).to_dict()
    html = renderer.to_mimebundle(body)["text/html"]
    assert 'class="sciatica-fit"' in html and "narrow" in html  # the fit box and its stacking script
    free = go.Figure(go.Bar(x=["a"], y=[1])).to_dict()
    assert 'class="sciatica-fit"' not in renderer.to_mimebundle(free)["text/html"]


def test_exported_figures_have_no_toolbar():
    """Ninth review: plotly's toolbar (zoom, pan, download) showed over the exported pictures. Plain figures and the
    body diagram's static form are drawn without it; their labels still show on hover or tap."""
    from sciatica_edu.scenario import Compression

    plain = prelude._StaticRenderer().to_mimebundle(go.Figure(go.Bar(x=["a"], y=[1])).to_dict())["text/html"]
    body = shown(BodyDiagram(Compression("L4-L5", "paracentral", "left", 0.6), description=True).widget)
    drawn = [h for h in [plain] + [value for kind, value in body if kind == "html"] if "Plotly.newPlot" in h]
    assert len(drawn) == 2, f"expected the plain figure and the body diagram's static form; got {len(drawn)}"
    for html in drawn:
        assert '"displayModeBar": false' in html, html[-300:]
