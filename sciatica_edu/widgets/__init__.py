"""Widgets: the live controls in JupyterLab and the session view (ipywidgets, anywidget, plotly FigureWidgets).

The public names live here: ``widgets.BodyDiagram`` and ``widgets.explore`` as before the package had layers.
"""

from sciatica_edu.widgets.body import (
    DEFAULT,
    BodyDiagram,
    Explorer,
    ScenarioControls,
    explore,
    figure_widget_code,
    severity_words,
    warning_html,
)

__all__ = ["DEFAULT", "BodyDiagram", "Explorer", "ScenarioControls", "explore", "figure_widget_code", "severity_words",
           "warning_html"]
