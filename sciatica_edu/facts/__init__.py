"""Facts: the data files (``data/*.yaml``) loaded strictly and checked against typed, frozen schemas.

The lowest layer: it imports nothing else from the kit, and never plotly, ipywidgets or anywidget
(``make test`` runs import-linter on this contract; see docs/architecture.md).
"""
