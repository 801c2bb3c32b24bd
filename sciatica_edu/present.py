"""The session server behind ``sciatica-edu present``: the Voila command line, its environment, its offline template.

Voila serves notebook 10 with the code hidden through ``voila_server.SessionVoila`` (token, Host check, a cap on
page kernels) on 127.0.0.1 only. ``cli`` parses the arguments and runs the server; everything here is a plain
function that tests call without starting it.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
import tempfile
from importlib import resources
from pathlib import Path

#: The notebook the session view serves.
SESSION_NOTEBOOK = "10-clinician-session.ipynb"


#: Environment variable the session view reads for the folder its "Make handout" button writes to.
HANDOUT_DIR_ENV = "SCIATICA_EDU_HANDOUT_DIR"


#: Environment variable telling the session view that the Voila template serves the figures' front-end code.
WIDGET_CODE_ENV = "SCIATICA_EDU_VOILA_WIDGET_CODE"


#: Environment variable passing the session token to the server (``voila_server.TOKEN_ENV``).
SESSION_TOKEN_ENV = "SCIATICA_EDU_SESSION_TOKEN"


#: Where the template serves the figures' front-end (``widgets.figure_widget_code``), under ``{base_url}voila/``.
WIDGET_CODE_PATH = "templates/sciatica/static/figure-widget.js"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def voila_template_root() -> Path:
    """Make a Jupyter data folder holding the offline Voila template ``sciatica`` (based on ``lab``).

    Voila finds templates under ``<JUPYTER_PATH>/voila/templates/<name>/``; the package ships
    the files flat in ``sciatica_edu/templates``, so they are laid out in a temporary folder.
    It also serves the figures' front-end (``widgets.figure_widget_code``, about 1.2 MB) as a file, so the
    widget state sent over the websocket carries a short loader instead (see ``session``). The caller
    removes the folder.
    """
    root = Path(tempfile.mkdtemp(prefix="sciatica-edu-voila-"))
    target = root / "voila" / "templates" / "sciatica"
    (target / "static").mkdir(parents=True)
    source = resources.files("sciatica_edu") / "templates"
    (target / "index.html.j2").write_text((source / "voila-index.html.j2").read_text(encoding="utf-8"), "utf-8")
    (target / "conf.json").write_text('{"base_template": "lab"}\n', encoding="utf-8")
    (target / "static" / Path(WIDGET_CODE_PATH).name).write_text(served_widget_code(), encoding="utf-8")
    return root


def served_widget_code() -> str:
    """The body diagram's front-end (``widgets.figure_widget_code``: plotly.js basic and the kit's widget
    code), served once by the page instead of sent in each figure's widget state."""
    from sciatica_edu.widgets.figure import figure_widget_code

    return figure_widget_code()


#: Seconds a page kernel may sit idle with no page connected before it is shut down (closed, crashed or
#: sleeping tabs, clients that never connected), and how often that is checked: gone within 60 + 20 s.
CULL_IDLE_TIMEOUT = 60


CULL_INTERVAL = 20


#: Most pages (browser tabs) with a kernel at once; each holds about 120 MB.
MAX_PAGE_KERNELS = 6


def voila_command(
    notebook: Path,
    port: int,
    *,
    open_browser: bool,
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
    cull_interval: int = CULL_INTERVAL,
    max_page_kernels: int = MAX_PAGE_KERNELS,
) -> list[str]:
    """The session server's command line: Voila (``sciatica_edu.voila_server``: Host check, token, a cap on page
    kernels) on 127.0.0.1 only, code hidden, offline template, one kernel kept warm, idle pages' kernels culled."""
    cmd = [sys.executable, "-m", "sciatica_edu.voila_server"]
    cmd += [
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",  # the Host check and the printed URL name this port
        "--template=sciatica",
        "--theme=light",
        "--strip_sources=True",
        "--show_tracebacks=False",
        # A kernel runs the notebook before the first visit, so the diagram appears at once. One only: each
        # waiting kernel holds about 120 MB.
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=1",
        # The next visit's kernel starts 3 s after a page takes the warm one (Voila's default: 1 s), when that
        # page has drawn: starting it sooner made the page compete with it for the CPU (about 0.4 s slower).
        "--VoilaKernelManager.fill_delay=3",
        # The session draws with FigureWidgets only (their code preloaded, see voila_template_root); JupyterLab's
        # plotly renderer would parse another 4.8 MB on every load before the widgets start.
        "--VoilaConfiguration.extension_denylist=['jupyterlab-plotly']",
        # Kernels of pages that closed, crashed or never connected are shut down; an open page (connected) is not.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        f"--SessionVoila.max_page_kernels={max_page_kernels}",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def localized_notebook(notebook: Path, folder: Path, locale: str) -> Path:
    """A copy of ``notebook`` in ``folder`` whose red-flag box and checklist speak for ``locale`` (one country's
    numbers per view) and whose citations are small numbered notes linking to its Sources list, as on exported
    pages (a patient in the room sees "¹˒²", not "[S13, S83]"); the committed notebook keeps both as written."""
    import nbformat

    from sciatica_edu import notebook_tools
    from sciatica_edu.pages import export

    nb = nbformat.read(str(notebook), as_version=4)
    notebook_tools.localize(nb, locale)
    export.number_citations(nb)
    target = Path(folder) / notebook.name
    nbformat.write(nb, str(target))
    return target


def voila_env(
    template_root: Path, handout_dir: Path | None = None, token: str | None = None, locale: str | None = None
) -> dict[str, str]:
    """The environment for Voila and its kernels: our template first on JUPYTER_PATH, the handout folder,
    the locale, where the template serves plotly's widget code (when it does), and the session token (which
    the server removes from its environment before starting kernels)."""
    env = dict(os.environ)
    if locale is not None:
        from sciatica_edu.facts.locales import LOCALE_ENV

        env[LOCALE_ENV] = locale
    if token is not None:
        env[SESSION_TOKEN_ENV] = token
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(template_root), env.get("JUPYTER_PATH", "")) if p)
    if handout_dir is not None:
        env[HANDOUT_DIR_ENV] = str(handout_dir)
    if (template_root / "voila" / WIDGET_CODE_PATH).is_file():
        env[WIDGET_CODE_ENV] = WIDGET_CODE_PATH
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def session_token() -> str:
    """The token the session view asks for: ``$SCIATICA_EDU_SESSION_TOKEN`` if set (tests), else a random one."""
    return os.environ.get(SESSION_TOKEN_ENV) or secrets.token_urlsafe(24)


def session_url(port: int, token: str) -> str:
    """The address that opens the session view: this machine only, with the token."""
    return f"http://127.0.0.1:{port}/?token={token}"
