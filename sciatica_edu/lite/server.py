"""The lite site's static server (``sciatica-edu lite-serve``): 127.0.0.1 only, the MIME types Pyodide needs, the
``.gz`` twins for browsers that take gzip, content-hash ETags and long caching for hashed file names.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import sys
from functools import partial
from pathlib import Path

from sciatica_edu.lite.config import LiteBuildError

#: Files whose names carry a hash of their content (JupyterLab's and the extensions' webpack chunks, e.g.
#: ``build/5079.7bde706.js``): :func:`serve` lets browsers keep them without asking again (a changed file has a
#: new name), so a later visit of notebook 03 makes about 86 requests instead of 188 (docs/lite.md).
IMMUTABLE = re.compile(r"/[^/]*\.[0-9a-f]{7,}\.(js|css)$")

#: The Content-Security-Policy the site needs and keeps to, sent with every response (and given to hosts in
#: docs/hosting.md): everything from the site's own address, so the browser itself refuses any request for
#: another host (``connect-src`` falls back to ``'self'``). JupyterLab needs inline scripts and styles and
#: ``eval`` (its settings validator), Pyodide ``'wasm-unsafe-eval'``, anywidget's front-ends ``blob:`` modules;
#: fonts and images also come inline (``data:``).
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs, ``name.gz`` sent as ``name`` when the browser takes gzip,
    and a content hash as ETag, so a browser revalidates each file with one small request and a rebuilt site is
    never mixed with stale files (whatever the files' dates), and the site's ``CSP``."""

    use_gzip = True
    csp = CSP  # the tests' server adds a report-uri (tests/browser/conftest.py)
    # HTTP/1.1: Chromium trusts an ETag only on 1.1 responses (on 1.0 it refetched every file on every visit).
    protocol_version = "HTTP/1.1"
    extensions_map = {  # noqa: RUF012 (class attribute of the stdlib handler)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".ipynb": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return super().send_head()  # folders (index.html), 404s
        twin = path.with_name(path.name + ".gz")
        packed = self.use_gzip and twin.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")
        body = twin if packed else path
        etag = f'"{_etag(body)}"'
        if etag in self.headers.get("If-None-Match", ""):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        handle = open(body, "rb")  # noqa: SIM115 (the base class closes it after copying)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if packed:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(body.stat().st_size))
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        if IMMUTABLE.search(self.path.split("?", 1)[0]):
            self.send_header("Cache-Control", "max-age=31536000, immutable")  # a new content gets a new name
        else:
            self.send_header("Cache-Control", "no-cache")  # keep, but ask (ETag) before reuse
        self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("SCIATICA_EDU_LITE_LOG"):
            super().log_message(format, *args)


_ETAGS: dict[tuple, str] = {}


def _etag(path: Path) -> str:
    """sha256 (first 32 hex digits) of a file's bytes, remembered per (path, inode, size, mtime, ctime)."""
    st = path.stat()
    key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key not in _ETAGS:
        _ETAGS[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    return _ETAGS[key]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # a browser that closed the page mid-download
            return
        super().handle_error(request, client_address)


def make_server(site: Path, port: int, *, gzip: bool = True,
                handler_class: type[_Handler] = _Handler) -> http.server.ThreadingHTTPServer:
    """A threaded static server for ``site`` on 127.0.0.1:``port`` (0: the OS picks a free port); ``gzip=False``
    ignores the ``.gz`` twins (as a plain static host would)."""
    if not (Path(site) / "jupyter-lite.json").is_file():
        raise LiteBuildError(f"{site} is not a JupyterLite site (no jupyter-lite.json): run `make lite` first")
    handler_class = type("Handler", (handler_class,), {"use_gzip": gzip})
    handler = partial(handler_class, directory=str(site))
    return _Server(("127.0.0.1", port), handler)


def serve(site: Path, port: int) -> None:
    """Serve ``site`` on http://127.0.0.1:``port`` until Ctrl+C."""
    server = make_server(site, port)
    print(f"JupyterLite site at http://127.0.0.1:{server.server_address[1]}/  (press Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
