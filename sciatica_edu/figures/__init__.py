"""Figures: plotly pictures of the body and spine, built from the model and the geometry.

Widgets and pages draw these; nothing here knows about ipywidgets or anywidget.
"""
