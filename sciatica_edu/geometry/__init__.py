"""Geometry: the body outlines, skin regions and spine inset as plain coordinates (no plotly), so figures and
tests share one set of shapes.
"""
