"""Widgets: the live controls in JupyterLab and the session view (ipywidgets, anywidget, plotly FigureWidgets).

The public names live here: ``widgets.BodyDiagram`` and ``widgets.explore`` as before the package had layers.
"""

from sciatica_edu.widgets.body import BodyDiagram, Explorer, explore, warning_html
from sciatica_edu.widgets.controls import DEFAULT, ScenarioControls, severity_words
from sciatica_edu.widgets.figure import figure_widget_code

__all__ = [
    "DEFAULT",
    "BodyDiagram",
    "Explorer",
    "ScenarioControls",
    "explore",
    "figure_widget_code",
    "severity_words",
    "warning_html",
]
