"""Model: what the facts mean for one example (a compression, a ranking of roots, a quiz) and the sentences built
from them. Pure Python on top of ``facts``; no plotly, ipywidgets or anywidget.
"""
