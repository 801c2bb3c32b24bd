"""sciatica_edu: an evidence-based teaching kit on sciatica for JupyterLab.

Layers, imports flowing one way: widgets -> diagram -> scenario/explorer/quiz -> anatomy -> data/.
Importing the package changes nothing global and reads no files until a function needs them.
General information for teaching, not medical advice.
"""

__version__ = "0.1.0"
