"""Jupyter server settings for ``make lab`` (passed with ``--config``): notebooks under notebooks/ are saved clean.

JupyterLab autosaves outputs, execution counts and widget state into the notebooks a person opens; the
pre-save hook strips them (``sciatica_edu.notebook_clean``), so ``git status`` stays clean after a session.
Cells marked ``# NBVAL_CHECK_OUTPUT`` keep their outputs: the tests compare them.
"""

from pathlib import Path

from sciatica_edu.notebook_clean import pre_save_hook_for

c = get_config()  # noqa: F821 - given by Jupyter when it reads this file
c.ContentsManager.pre_save_hook = pre_save_hook_for(Path(__file__).resolve().parent.parent / "notebooks")
