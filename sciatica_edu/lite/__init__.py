"""The kit in any browser, no install: build an offline JupyterLite site (``sciatica-edu lite``, ``make lite``).

JupyterLite runs the real kernel (Pyodide: CPython compiled to WebAssembly) in the browser from plain static
files. This package writes such a site from pinned versions only, and nothing in it is fetched at run time
from anywhere but the serving host:

* a build venv of its own (``lite/requirements-build.txt``; the lite extension breaks a normal Lab) that runs
  ``jupyter lite build`` and supplies the front-end extensions (widgets, anywidget, plotly);
* the Pyodide core from the npm tarball ``pyodide@314.0.6`` (``lite/npm.txt``, sha256-checked), the version
  the kernel expects, in ``static/pyodide/`` of the site;
* the browser's wheels (``lite/wheels.txt``, downloaded once without dependencies), the kernel's own wheels,
  a slimmed plotly wheel and the kit's own wheel (its data as JSON made here, so no YAML parser runs in the
  browser), all listed in a ``pyodide-lock.json`` the build writes, and preloaded by ``jupyter-lite.json``
  so no notebook needs ``%pip``; ``disablePyPIFallback`` is on;
* each notebook's own outputs, made at build time (pictures, text), so a page shows its pictures before the
  kernel has started (``outputs``);
* bytecode for the modules a lesson imports first, compiled at build time by that same Pyodide running in Node
  (``precompile``, ``lite/pycompile.mjs``), since compiling them in the browser was most of the start-up.

Downloads land in a cache folder (``.cache/lite/`` by default); once it is filled the build is offline and
gives the same bytes each time. ``serve()`` is a small static server for 127.0.0.1 that sends the right
MIME types for ``.mjs``/``.wasm`` and the pre-compressed ``.gz`` twins the build writes. docs/lite.md has the
numbers behind each choice.

The package, one module per job: ``config`` (settings, pins, the error type), ``downloads`` (the build venv, the
Pyodide core, the browser's wheels), ``wheels`` (the lock file, slimming, the kit's own wheel), ``bytecode``
(``precompile`` in Node), ``outputs`` (the notebooks' stored outputs, run once at build time), ``site`` (the
staged folder, page scripts, :func:`build_site`) and ``server``
(``serve``). Everything the CLI, the benchmarks and the tests use is re-exported here, as ``lite.build_site`` etc.
"""

from sciatica_edu.lite.bytecode import (
    PYC_SCRIPT,
    PYC_WORKLOAD,
    compiled_name,
    compiled_stdlib,
    compiled_wheel,
    node_major,
    precompile,
)
from sciatica_edu.lite.config import (
    DEFAULT_CACHE,
    JEDI_DROP,
    LESSON_PATHS,
    MARKER_ENV,
    NODE_MIN_MAJOR,
    OMITTED,
    PINS,
    PLOTLY_DROP,
    PLOTLY_WIDGET_STANDIN,
    PRELOAD,
    PYC_CACHE_TAG,
    PYC_KEEP_SOURCE,
    PYC_SITE_PREFIX,
    PYC_STDLIB_PREFIX,
    PYGMENTS_KEEP,
    PYTHON_VERSION,
    REPLACE,
    REPO,
    SLIM,
    SOURCE_DATE_EPOCH,
    TESTS_DROP,
    WHEEL_PLATFORM,
    ZIP_DATE,
    LiteBuildError,
    Log,
    canonical,
    listed_date,
    npm_pin,
    read_pins,
)
from sciatica_edu.lite.downloads import (
    browser_wheels,
    build_venv,
    pure_wheel,
    pyodide_core,
)
from sciatica_edu.lite.server import (
    CSP,
    IMMUTABLE,
    make_server,
    serve,
)
from sciatica_edu.lite.server import (
    _Handler as _Handler,
)
from sciatica_edu.lite.site import (
    APPS,
    AUTORUN_SESSION,
    DISABLED_EXTENSIONS,
    GZIP_MIN_BYTES,
    GZIP_SUFFIXES,
    KERNEL_PLUGIN,
    KERNEL_WHEELS,
    KERNELSPEC,
    MEMORY_STORAGE,
    OVERRIDES,
    PLOTLY_PRELOAD,
    PLOTLY_PRELOAD_TIMEOUT_MS,
    ROOT_LOADER,
    ROOT_OPEN,
    SESSION_NOTEBOOK,
    START_KERNEL_EARLY,
    START_KERNEL_EARLY_GIVE_UP_MS,
    START_NOTEBOOK,
    autorun_session,
    build_site,
    lite_notebook,
    open_start,
    precompress,
    preload_plotly,
    session_notebook,
    site_bytes,
    stage,
    stamp_dates,
    start_kernel_early,
)
from sciatica_edu.lite.site import (
    _jupyter_lite_json as _jupyter_lite_json,
)
from sciatica_edu.lite.wheels import (
    HANDOUT_TEMPLATES,
    kit_wheel,
    lock_entry,
    slim_pygments,
    slim_wheel,
    wheel_depends,
    write_lock,
)

__all__ = [
    "APPS",
    "AUTORUN_SESSION",
    "CSP",
    "DEFAULT_CACHE",
    "DISABLED_EXTENSIONS",
    "GZIP_MIN_BYTES",
    "GZIP_SUFFIXES",
    "HANDOUT_TEMPLATES",
    "IMMUTABLE",
    "JEDI_DROP",
    "KERNELSPEC",
    "KERNEL_PLUGIN",
    "KERNEL_WHEELS",
    "LESSON_PATHS",
    "MARKER_ENV",
    "MEMORY_STORAGE",
    "NODE_MIN_MAJOR",
    "OMITTED",
    "OVERRIDES",
    "PINS",
    "PLOTLY_DROP",
    "PLOTLY_PRELOAD",
    "PLOTLY_PRELOAD_TIMEOUT_MS",
    "PLOTLY_WIDGET_STANDIN",
    "PRELOAD",
    "PYC_CACHE_TAG",
    "PYC_KEEP_SOURCE",
    "PYC_SCRIPT",
    "PYC_SITE_PREFIX",
    "PYC_STDLIB_PREFIX",
    "PYC_WORKLOAD",
    "PYGMENTS_KEEP",
    "PYTHON_VERSION",
    "REPLACE",
    "REPO",
    "ROOT_LOADER",
    "ROOT_OPEN",
    "SESSION_NOTEBOOK",
    "SLIM",
    "SOURCE_DATE_EPOCH",
    "START_KERNEL_EARLY",
    "START_KERNEL_EARLY_GIVE_UP_MS",
    "START_NOTEBOOK",
    "TESTS_DROP",
    "WHEEL_PLATFORM",
    "ZIP_DATE",
    "LiteBuildError",
    "Log",
    "autorun_session",
    "browser_wheels",
    "build_site",
    "build_venv",
    "canonical",
    "compiled_name",
    "compiled_stdlib",
    "compiled_wheel",
    "kit_wheel",
    "listed_date",
    "lite_notebook",
    "lock_entry",
    "make_server",
    "node_major",
    "npm_pin",
    "open_start",
    "precompile",
    "precompress",
    "preload_plotly",
    "pure_wheel",
    "pyodide_core",
    "read_pins",
    "serve",
    "session_notebook",
    "site_bytes",
    "slim_pygments",
    "slim_wheel",
    "stage",
    "stamp_dates",
    "start_kernel_early",
    "wheel_depends",
    "write_lock",
]
