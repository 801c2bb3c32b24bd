"""The JupyterLite build's parts in plain Python (issue 17): pins, the lock, the wheels, the notebooks, the server,
the browser-only branches (figures, handout download) and the ``lite`` commands. The whole build and the site in
Chromium are tested in tests/browser/test_lite.py."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from sciatica_edu import browser, cli, lite
from sciatica_edu.facts import loader
from sciatica_edu.lite import bytecode, notices
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout
from sciatica_edu.widgets import session

REPO = Path(__file__).resolve().parents[1]


def make_wheel(folder: Path, name: str, version: str, requires: list[str], files: dict[str, str] | None = None) -> Path:
    """A tiny wheel with METADATA and the given files, for the lock writer."""
    dist = f"{name.replace('-', '_')}-{version}.dist-info"
    path = folder / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    meta = "\n".join(["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                      *[f"Requires-Dist: {r}" for r in requires], ""])
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{dist}/METADATA", meta)
        for fname, text in (files or {f"{name.replace('-', '_')}/__init__.py": ""}).items():
            zf.writestr(fname, text)
    return path


# --------------------------------------------------------------------------- pins


def test_repository_pins_are_exact_and_complete():
    wheels = dict(lite.read_pins(REPO / "lite" / "wheels.txt"))
    assert {"pydantic", "pydantic_core", "plotly", "anywidget", "ipywidgets", "ipython", "micropip"} <= set(wheels)
    assert "PyYAML" not in wheels and "pyyaml" not in {lite.canonical(n) for n in wheels}
    build = dict(lite.read_pins(REPO / "lite" / "requirements-build.txt"))
    assert build["jupyterlite-core"] == "0.8.6" and build["jupyterlite-pyodide-kernel"] == "0.8.6"
    assert "plotly" not in build, "the site draws with the kit's plotly.js; JupyterLab's plotly extension stays out"
    assert lite.npm_pin(REPO / "lite" / "npm.txt")[:2] == ("pyodide", "314.0.6")


def test_widget_pins_match_the_lab_stack():
    """The widgets' front-end bundled into the site must be the version the kernel's ipywidgets speaks."""
    lab = dict(line.split("==") for line in (REPO / "requirements.txt").read_text().splitlines()
               if "==" in line and not line.startswith("#"))
    build = dict(lite.read_pins(REPO / "lite" / "requirements-build.txt"))
    browser_side = dict(lite.read_pins(REPO / "lite" / "wheels.txt"))
    assert build["jupyterlab_widgets"] == lab["jupyterlab_widgets"]
    assert build["anywidget"] == lab["anywidget"] == browser_side["anywidget"]
    assert browser_side["ipywidgets"] == lab["ipywidgets"] and browser_side["plotly"] == lab["plotly"]
    assert browser_side["pydantic"] == lab["pydantic"]


@pytest.mark.parametrize("line", ["plotly", "plotly>=7", "plotly==", "plotly == 7.1.0 extra"])
def test_read_pins_rejects_anything_but_exact_pins(tmp_path, line):
    path = tmp_path / "pins.txt"
    path.write_text(f"# comment\n\n{line}\n")
    with pytest.raises(lite.LiteBuildError, match="not an exact pin; write name==version"):
        lite.read_pins(path)


def test_npm_pin_needs_a_sha256(tmp_path):
    path = tmp_path / "npm.txt"
    path.write_text("pyodide@314.0.6\n")
    with pytest.raises(lite.LiteBuildError, match="sha256"):
        lite.npm_pin(path)


# --------------------------------------------------------------------------- the lock


def test_wheel_depends_evaluates_markers_for_pyodide():
    meta = "\n".join([
        "Name: x", "Version: 1",
        'Requires-Dist: pexpect>4.3; sys_platform != "win32" and sys_platform != "emscripten"',
        'Requires-Dist: colorama; sys_platform == "win32"',
        "Requires-Dist: Typing_Extensions>=4",
        'Requires-Dist: exceptiongroup; python_version < "3.11"',
        'Requires-Dist: pytest; extra == "test"',
        'Requires-Dist: tomli; python_version < "3.15"',
    ])
    assert lite.wheel_depends(meta) == ["tomli", "typing-extensions"]


def test_write_lock_lists_each_wheel_with_sha_imports_and_depends(tmp_path):
    npm = tmp_path / "npm-lock.json"
    npm.write_text(json.dumps({"info": {"abi_version": "2026_0", "python": "3.14.2"}, "packages": {"numpy": {}}}))
    a = make_wheel(tmp_path, "alpha-pkg", "1.0", ["beta", 'pyyaml; sys_platform == "emscripten"'],
                   {"alpha/__init__.py": "", "alpha/sub.py": "", "single.py": ""})
    b = make_wheel(tmp_path, "beta", "2.0", [])
    lock = lite.write_lock(npm, [a, b], tmp_path / "pyodide-lock.json")
    assert lock == json.loads((tmp_path / "pyodide-lock.json").read_text())
    assert lock["info"] == {"abi_version": "2026_0", "python": "3.14.2"}
    assert set(lock["packages"]) == {"alpha-pkg", "beta"}, "the npm lock's own entries (CDN wheels) must go"
    alpha = lock["packages"]["alpha-pkg"]
    assert alpha["file_name"] == a.name and alpha["version"] == "1.0" and alpha["install_dir"] == "site"
    assert alpha["sha256"] == hashlib.sha256(a.read_bytes()).hexdigest()
    assert alpha["imports"] == ["alpha", "single"]
    assert alpha["depends"] == ["beta"], "pyyaml is left out on purpose (lite.OMITTED): not a dependency to fetch"


def test_write_lock_fails_on_a_missing_dependency(tmp_path):
    npm = tmp_path / "npm-lock.json"
    npm.write_text(json.dumps({"info": {}, "packages": {}}))
    a = make_wheel(tmp_path, "alpha", "1.0", ["gamma>=1"])
    with pytest.raises(lite.LiteBuildError, match=r"needs gamma: add them to lite/wheels\.txt"):
        lite.write_lock(npm, [a], tmp_path / "lock.json")


def test_slim_wheel_drops_files_and_rewrites_record(tmp_path):
    src = make_wheel(tmp_path, "plotly", "7.1.0", [], {
        "plotly/__init__.py": "x = 1\n",
        "plotly/package_data/plotly.min.js": "big" * 1000,
        "plotly/package_data/widgetbundle.js": "kept",
        "plotly/labextension/static/a.js": "ext",
        "plotly-7.1.0.data/data/share/jupyter/labextensions/x.js": "ext",
    })
    (tmp_path / "out").mkdir()
    out = lite.slim_wheel(src, tmp_path / "out" / src.name, lite.PLOTLY_DROP, lite.REPLACE["plotly"])
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        record = zf.read("plotly-7.1.0.dist-info/RECORD").decode()
        assert names == {"plotly/__init__.py", "plotly/package_data/widgetbundle.js",
                         "plotly-7.1.0.dist-info/METADATA", "plotly-7.1.0.dist-info/RECORD"}
        # plotly's own widget code gives way to the stand-in (the file stays: anywidget checks that it exists)
        assert zf.read("plotly/package_data/widgetbundle.js") == lite.PLOTLY_WIDGET_STANDIN
        for line in record.splitlines():
            name, digest, size = line.split(",")
            if digest:
                data = zf.read(name)
                want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert digest == f"sha256={want}" and int(size) == len(data)
    again = lite.slim_wheel(src, tmp_path / "again.whl", lite.PLOTLY_DROP, lite.REPLACE["plotly"])
    assert again.read_bytes() == out.read_bytes(), "the same input must give the same bytes"
    with pytest.raises(lite.LiteBuildError, match=r"has no plotly/gone\.js to replace"):
        lite.slim_wheel(src, tmp_path / "bad.whl", (), {"plotly/gone.js": b""})


def test_kit_wheel_carries_the_data_as_json_and_is_reproducible(tmp_path):
    one = lite.kit_wheel(tmp_path / "a")
    two = lite.kit_wheel(tmp_path / "b")
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as zf:
        names = set(zf.namelist())
        for path in sorted((REPO / "data").glob("*.yaml")):
            name = f"sciatica_edu/data/{path.stem}.json"
            assert name in names
            assert json.loads(zf.read(name)) == yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "sciatica_edu/static/plotly-basic.min.js" in names and "sciatica_edu/browser.py" in names
        # every module of the layer folders too (the browser imports them like the desktop does)
        package = REPO / "sciatica_edu"
        modules = {p.relative_to(REPO).as_posix() for p in package.rglob("*.py") if "__pycache__" not in p.parts}
        assert "sciatica_edu/figures/scene.py" in modules and modules <= names
        assert not any(n.endswith(".yaml") for n in names)
        meta = zf.read("sciatica_edu-0.1.0.dist-info/METADATA").decode()
    entry = lite.lock_entry(one)
    assert entry["name"] == "sciatica-edu" and entry["imports"] == ["sciatica_edu"]
    assert "pydantic" in entry["depends"] and "Requires-Dist: pydantic" in meta


def test_data_reads_the_json_twin_without_yaml(tmp_path, monkeypatch):
    """In the browser the package reads data/*.json (no PyYAML there); the twin wins over the YAML file."""
    (tmp_path / "vocabulary.json").write_text(json.dumps({"from": "json"}))
    monkeypatch.setattr(loader, "data_dir", lambda: tmp_path)
    loader.load_yaml.cache_clear()
    try:
        assert loader.load_yaml("vocabulary.yaml") == {"from": "json"}
    finally:
        loader.load_yaml.cache_clear()


# --------------------------------------------------------------------------- notebooks and the site


def test_session_notebook_hides_code_and_names_the_browser_kernel():
    nb = json.loads((REPO / "notebooks" / lite.SESSION_NOTEBOOK).read_text(encoding="utf-8"))
    out = lite.session_notebook(nb)
    code = [c for c in out["cells"] if c["cell_type"] == "code"]
    assert code and all(c["metadata"]["jupyter"]["source_hidden"] is True for c in code)
    assert all(c["source"] == o["source"] for c, o in zip(out["cells"], nb["cells"], strict=True)), "only metadata"
    assert out["metadata"]["kernelspec"]["name"] == "python"
    assert nb["metadata"]["kernelspec"]["name"] == "python3", "the input notebook must not change"
    other = lite.lite_notebook(json.loads((REPO / "notebooks" / "03-where-you-feel-it.ipynb").read_text()))
    assert not any(c.get("metadata", {}).get("jupyter", {}).get("source_hidden") for c in other["cells"])


def test_jupyter_lite_config_is_offline_and_preloads_the_kit():
    cfg = lite._jupyter_lite_json()["jupyter-config-data"]["litePluginSettings"]
    kernel = cfg["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    preload = set(kernel["loadPyodideOptions"]["packages"])
    assert {"sciatica-edu", "ipykernel", "pyodide-kernel", "jedi", "ipython"} <= preload


def test_nothing_is_kept_in_the_browsers_storage():
    """Contents, settings and workspaces use JupyterLite's in-memory driver only (it needs enableMemoryStorage);
    the browser test checks that a saved notebook leaves no IndexedDB behind and is gone after a reload."""
    cfg = lite._jupyter_lite_json()["jupyter-config-data"]
    assert cfg["enableMemoryStorage"] is True
    for kind in ("contents", "settings", "workspaces"):
        assert cfg[f"{kind}StorageDrivers"] == ["memoryStorageDriver"], kind


def test_disabled_extensions_leave_what_the_kit_uses():
    disabled = lite._jupyter_lite_json()["jupyter-config-data"]["disabledExtensions"]
    assert disabled == list(lite.DISABLED_EXTENSIONS) and all(lite.DISABLED_EXTENSIONS.values())
    # the log console is off: while on, the kernel's plugin (which takes its registry) starts late
    assert "@jupyterlab/logconsole-extension" in disabled
    # an entry disables a whole package or one plugin (package:plugin); none may hit what the lessons use
    used = (lite.KERNEL_PLUGIN, "@jupyterlab/notebook-extension:tracker", "@jupyterlab/notebook-extension:factory",
            "@jupyter-widgets/jupyterlab-manager:plugin", "anywidget:plugin", "@jupyterlab/statusbar-extension:plugin",
            "@jupyterlab/apputils-extension:themes", "@jupyterlab/mathjax-extension:plugin",
            "@jupyterlab/filebrowser-extension:browser", "@jupyterlab/help-extension:licenses-commands")
    hit = [(d, u) for d in disabled for u in used if u == d or u.startswith(d + ":")]
    assert hit == []


def test_open_start_keeps_the_config_block(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<script id="jupyter-config-data">{}</script><script type="module">'
                    "await import('./config-utils.js');</script>")
    lite.open_start(page)
    html = page.read_text()
    assert 'id="jupyter-config-data"' in html
    assert "location.replace('./lab/index.html?path=00-start-here.ipynb')" in html
    with pytest.raises(lite.LiteBuildError, match="root page changed"):
        lite.open_start(page)


def test_served_site_sends_gzip_twins_and_module_types(tmp_path):
    (tmp_path / "jupyter-lite.json").write_text("{}")
    (tmp_path / "app.mjs").write_text("export const x = 1;\n" * 200)
    (tmp_path / "core.wasm").write_bytes(b"\0asm" + bytes(4000))
    assert lite.precompress(tmp_path) >= 2
    plain, packed = lite.site_bytes(tmp_path)
    assert packed < plain
    server = lite.make_server(tmp_path, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        req = urllib.request.Request(base + "/app.mjs", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as r:
            assert r.headers["Content-Encoding"] == "gzip" and r.headers["Content-Type"] == "text/javascript"
            assert gzip.decompress(r.read()) == (tmp_path / "app.mjs").read_bytes()
        with urllib.request.urlopen(base + "/core.wasm") as r:
            assert r.headers.get("Content-Encoding") is None and r.headers["Content-Type"] == "application/wasm"
            assert r.read() == (tmp_path / "core.wasm").read_bytes()
    finally:
        server.shutdown()
        server.server_close()
    assert server.server_address[0] == "127.0.0.1"


def test_served_files_carry_the_sites_content_security_policy(tmp_path):
    """Every response, a 304 and a 404 included, carries lite.CSP: the browser itself then refuses any request
    for another host. docs/hosting.md gives hosts the same policy, word for word."""
    (tmp_path / "jupyter-lite.json").write_text("{}")
    (tmp_path / "index.html").write_text("<html></html>")
    server = lite.make_server(tmp_path, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/index.html") as r:
            assert r.headers["Content-Security-Policy"] == lite.CSP
            etag = r.headers["ETag"]
        for path, headers, code in (("/index.html", {"If-None-Match": etag}, 304), ("/missing.js", {}, 404)):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(urllib.request.Request(base + path, headers=headers))
            assert err.value.code == code and err.value.headers["Content-Security-Policy"] == lite.CSP, path
    finally:
        server.shutdown()
        server.server_close()
    policy = dict(d.strip().split(" ", 1) for d in lite.CSP.split(";"))
    assert policy["default-src"] == "'self'" and "connect-src" not in policy  # requests: this host only
    assert lite.CSP in (REPO / "docs" / "hosting.md").read_text(encoding="utf-8")


def test_the_hosting_guide_gives_the_types_the_server_sends():
    """docs/hosting.md (the site's HOSTING.md) names, for each file type Python needs, the type lite-serve sends,
    and its nginx example adds the one Debian's nginx lacks (.mjs)."""
    guide = (REPO / "docs" / "hosting.md").read_text(encoding="utf-8")
    types = lite._Handler.extensions_map
    for ext in (".mjs", ".js", ".wasm", ".json", ".ipynb"):
        row = next((ln for ln in map(str.strip, guide.splitlines()) if ln.startswith("|") and f"`{ext}`" in ln), "")
        assert f"`{types[ext]}`" in row, (ext, types[ext], row)
    assert "types { text/javascript mjs; }" in guide and "gzip_static on;" in guide
    assert 'add_header Cache-Control "no-cache";' in guide
    # the policy itself, and in each server's example (nginx, Apache, IIS)
    assert guide.count(lite.CSP) == 4, guide.count(lite.CSP)


def test_a_build_gives_every_file_one_new_date(tmp_path):
    """lite.stamp_dates: npm's files come dated 1985 and the build's own 2026-01-01; after it every file and
    folder has the build's date, so a host's date-based validators and rsync see a rebuilt file as new."""
    site = tmp_path / "site"
    (site / "static" / "pyodide").mkdir(parents=True)
    old = {site / "static" / "pyodide" / "pyodide-lock.json": 499132800,  # 1985-10-26 (npm)
           site / "index.html": lite.SOURCE_DATE_EPOCH}
    for path, when in old.items():
        path.write_text("x")
        os.utime(path, (when, when))
    when = time.time()
    assert lite.stamp_dates(site, when) == 2
    for path in [site, *site.rglob("*")]:
        assert path.stat().st_mtime == pytest.approx(when, abs=1e-3), path


def test_the_lessons_listed_date_is_their_last_commit(tmp_path):
    """The site's file browser dates each lesson by the last commit that changed the notebooks or the kit's data
    and code, not by a fixed date ("11 months ago") nor by a later commit that changed only the docs; never later
    than now; outside a git checkout, the fixed date."""
    import subprocess
    import time

    repo = tmp_path / "repo"
    notebooks = repo / "notebooks"
    notebooks.mkdir(parents=True)
    # this test's git only: no user config (signing, hooks), no checkout around the temporary folder
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    base |= {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CEILING_DIRECTORIES": str(tmp_path),
             "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
             "GIT_COMMITTER_EMAIL": "t@example.org"}

    def commit(path: str, text: str, when: int) -> None:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
        env = base | {"GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
        for args in (["add", "-A"], ["commit", "-q", "-m", path]):
            subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)

    def listed() -> int:
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(base)
        try:
            return lite.listed_date(notebooks, repo)
        finally:
            os.environ.clear()
            os.environ.update(old)

    assert listed() == lite.SOURCE_DATE_EPOCH, "no checkout: the fixed date"
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True, capture_output=True, env=base)
    commit("notebooks/01.ipynb", "{}", 1_780_000_000)
    commit("README.md", "docs", 1_790_000_000)
    assert listed() == 1_780_000_000, "a commit of the docs only is not a lesson's"
    commit("data/facts.yaml", "a: 1", 1_795_000_000)
    assert listed() == 1_795_000_000, "the data is part of the lesson"
    commit("notebooks/01.ipynb", '{"cells": []}', int(time.time()) + 86_400)
    assert abs(listed() - time.time()) < 60, "a commit dated ahead of the clock: now"


def test_make_server_refuses_a_folder_that_is_not_a_site(tmp_path):
    with pytest.raises(lite.LiteBuildError, match="run `make lite` first"):
        lite.make_server(tmp_path, 0)


# --------------------------------------------------------------------------- browser-only branches


def test_figure_html_draws_with_the_site_plotly_and_cannot_break_out_of_its_script():
    fig = {"data": [{"type": "scatter", "x": [1], "y": [2], "name": "</script><b>x"}], "layout": {"height": 300}}
    out = browser.figure_html(fig, {"displayModeBar": False})
    assert browser.SITE_PLOTLY_JS in out and "height:300px" in out
    assert out.count("</script>") == 1, "a trace name must not end the script early"
    div = re.search(r'<div id="(sciatica-lite-[0-9a-f]+)"', out).group(1)
    assert f'"{div}"' in out
    with pytest.raises(ValueError, match="fig_dict must be a plotly figure"):
        browser.figure_html({"data": "nope"})


def test_browser_renderer_draws_plain_figures(monkeypatch):
    import plotly.io as pio

    from sciatica_edu import diagram

    before = pio.renderers.default
    try:
        browser.setup()
        bundle = diagram.body_figure(Compression())._repr_mimebundle_()
        assert set(bundle) == {"text/html"} and "sciatica-lite-figure" in bundle["text/html"]
    finally:
        pio.renderers.default = before


def test_download_link_carries_the_file_and_rejects_bad_names():
    link = browser.download_link("<html>hi</html>", "handout-L4-L5.html", "Download <it>")
    href = re.search(r'href="data:text/html;base64,([^"]+)"', link).group(1)
    assert base64.b64decode(href) == b"<html>hi</html>"
    assert 'download="handout-L4-L5.html"' in link and "Download &lt;it&gt;" in link
    for bad in ("../x.html", "", "a/b.html", 'x".html'):
        with pytest.raises(ValueError, match="filename must be a plain file name"):
            browser.download_link("x", bad, "x")
    with pytest.raises(ValueError, match="mime must look like text/html"):
        browser.download_link("x", "x.html", "x", mime="text")


def test_session_in_the_browser_offers_the_handout_as_a_download(monkeypatch, tmp_path):
    """Under Pyodide "Make handout" writes nothing: it shows a link whose data is the handout for the screen."""
    monkeypatch.setattr(browser, "IN_BROWSER", True)
    view = session.SessionView(handout_dir=tmp_path)
    view.apply_preset(session.presets()[1].label)
    assert view.make_handout() is None
    assert list(tmp_path.iterdir()) == [], "nothing may be written to disk in the browser"
    value = view.handout_status.value
    name = handout.handout_filename(view.compression)
    assert f'download="{name}"' in value
    data = base64.b64decode(re.search(r'href="data:text/html;base64,([^"]+)"', value).group(1)).decode()
    assert data == handout.handout_html(view.compression)


def test_spine_output_in_the_browser_is_html_drawn_by_the_kit():
    c = Compression("L5-S1", "paracentral", "right", 0.6)
    assert "application/vnd.plotly.v1+json" in session.spine_output(c)["data"]
    browser_out = None
    try:
        browser.IN_BROWSER = True
        browser_out = session.spine_output(c)
    finally:
        browser.IN_BROWSER = False
    assert set(browser_out["data"]) == {"text/html", "text/plain"}
    assert "L5-S1" in browser_out["data"]["text/html"]


# --------------------------------------------------------------------------- the commands


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lite_command_usage_errors_are_one_line_exit_2(capsys, tmp_path):
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    for argv, message in [
        (["lite"], "the following arguments are required: --out"),
        (["lite", "--out", str(afile)], "exists and is not a folder"),
        (["lite", "--out", str(tmp_path / "s"), "--cache", str(afile)], "--cache"),
        (["lite-serve", "--site", str(tmp_path)], "is not a built site; run `make lite` first"),
        (["lite-serve", "--port", "80"], "port must be from 1024 to 65535"),
    ]:
        code, _out, err = run_main(capsys, *argv)
        assert code == 2, argv
        assert message in err and len(err.strip().splitlines()) == 1, err


def test_lite_refuses_to_replace_the_checkout(tmp_path):
    with pytest.raises(lite.LiteBuildError, match="refusing to replace"):
        lite.build_site(REPO, notebooks=REPO / "notebooks", cache=tmp_path)


def test_served_files_revalidate_by_content_hash(tmp_path):
    """A browser's second visit gets 304 for unchanged files, and the new bytes once a rebuild changed them (the
    build gives every file the same mtime, so only the content can tell)."""
    (tmp_path / "jupyter-lite.json").write_text("{}")
    page = tmp_path / "a.js"
    page.write_text("one")
    server = lite.make_server(tmp_path, 0, gzip=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/a.js"
    try:
        with urllib.request.urlopen(url) as r:
            etag = r.headers["ETag"]
            assert r.headers["Cache-Control"] == "no-cache"
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(urllib.request.Request(url, headers={"If-None-Match": etag}))
        assert not_modified.value.code == 304
        stat = page.stat()
        page.write_text("two")
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        with urllib.request.urlopen(urllib.request.Request(url, headers={"If-None-Match": etag})) as r:
            assert r.status == 200 and r.read() == b"two" and r.headers["ETag"] != etag
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- bytecode, slimming, the app pages


def record_ok(zf: zipfile.ZipFile, dist_info: str) -> None:
    """Every file of the wheel is in its RECORD with the right sha256 and size, and nothing else is."""
    listed = {}
    for line in zf.read(f"{dist_info}/RECORD").decode().splitlines():
        name, digest, size = line.rsplit(",", 2)
        listed[name] = (digest, size)
        if digest:
            data = zf.read(name)
            want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={want}" and int(size) == len(data), name
    assert set(listed) == set(zf.namelist())


def test_tests_drop_leaves_out_test_suites_only():
    drop = lite.TESTS_DROP
    assert drop.search("ipywidgets/widgets/tests/test_traits.py")
    assert drop.search("IPython/core/tests/__init__.py") and drop.search("jsonschema/tests/x.json")
    assert drop.search("narwhals/test/x.py")
    assert not drop.search("pygments/lexers/testing.py") and not drop.search("plotly/io/_base_renderers.py")
    assert not drop.search("attestation/x.py") and not drop.search("contests/x.py")


def test_slim_pygments_keeps_the_lexers_asked_for_and_what_they_import(tmp_path):
    mapping = (
        "# generated\n\nLEXERS = {\n"
        "    'CssLexer': ('pygments.lexers.css', 'CSS', ('css',), ('*.css',), ('text/css',)),\n"
        "    'HtmlLexer': ('pygments.lexers.html', 'HTML', ('html',), ('*.html',), ('text/html',)),\n"
        "    'PythonLexer': ('pygments.lexers.python', 'Python', ('python', 'py'), ('*.py',), ()),\n"
        "    'RustLexer': ('pygments.lexers.rust', 'Rust', ('rust',), ('*.rs',), ()),\n"
        "}\n"
    )
    src = make_wheel(tmp_path, "pygments", "2.21.0", [], {
        "pygments/__init__.py": "",
        "pygments/lexer.py": "",
        "pygments/lexers/__init__.py": "from pygments.lexers._mapping import LEXERS\n",
        "pygments/lexers/_mapping.py": mapping,
        "pygments/lexers/python.py": "class PythonLexer: pass\n",
        "pygments/lexers/html.py": "from pygments.lexers.css import CssLexer\nclass HtmlLexer: pass\n",
        "pygments/lexers/css.py": "import re\nclass CssLexer: pass\n",
        "pygments/lexers/rust.py": "class RustLexer: pass\n",
    })
    out = lite.slim_pygments(src, tmp_path / "out.whl", keep=("python", "html"))
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert {"pygments/lexers/python.py", "pygments/lexers/html.py", "pygments/lexers/css.py"} <= names
        assert "pygments/lexers/rust.py" not in names and "pygments/lexer.py" in names
        text = zf.read("pygments/lexers/_mapping.py").decode()
        record_ok(zf, "pygments-2.21.0.dist-info")
    namespace: dict = {}
    exec(text, namespace)  # still a valid map, listing only the lexers shipped
    assert sorted(namespace["LEXERS"]) == ["CssLexer", "HtmlLexer", "PythonLexer"]
    assert namespace["LEXERS"]["PythonLexer"][2] == ("python", "py")
    assert lite.slim_pygments(src, tmp_path / "again.whl", keep=("python", "html")).read_bytes() == out.read_bytes()
    with pytest.raises(lite.LiteBuildError, match=r"no lexer module \['cobol'\]"):
        lite.slim_pygments(src, tmp_path / "bad.whl", keep=("python", "cobol"))


def test_pygments_keep_covers_ipythons_own_lexers():
    """ipython_pygments_lexers imports these lexers (bash, html, javascript, ruby, perl, python, TeX): their modules
    must be kept, or IPython's tracebacks and ?-help would fail in the browser."""
    for module in ("shell", "html", "javascript", "ruby", "perl", "python", "markup"):
        assert module in lite.PYGMENTS_KEEP


def wheel_with(tmp_path: Path, tag: str = "py3-none-any") -> Path:
    path = make_wheel(tmp_path, "alpha", "1.0", [], {
        "alpha/__init__.py": "from alpha.mod import x\n",
        "alpha/mod.py": "x = 1\n",
        "alpha/data.json": "{}",
    })
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("alpha-1.0.dist-info/WHEEL", f"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: {tag}\n")
    return path


def test_compiled_wheel_without_source_is_renamed_for_cpython_314(tmp_path):
    src = wheel_with(tmp_path)
    pycs = {"alpha/mod.py": b"PYC-mod", "alpha/__init__.py": b"PYC-init"}
    out = lite.compiled_wheel(src, tmp_path / "out", pycs, keep_source=False)
    assert out.name == "alpha-1.0-cp314-none-any.whl"
    with zipfile.ZipFile(out) as zf:
        assert zf.read("alpha/mod.pyc") == b"PYC-mod" and zf.read("alpha/__init__.pyc") == b"PYC-init"
        assert "alpha/mod.py" not in zf.namelist() and zf.read("alpha/data.json") == b"{}"
        assert "Tag: cp314-none-any" in zf.read("alpha-1.0.dist-info/WHEEL").decode()
        assert "Tag: py3-none-any" not in zf.read("alpha-1.0.dist-info/WHEEL").decode()
        record_ok(zf, "alpha-1.0.dist-info")
    again = lite.compiled_wheel(src, tmp_path / "again", pycs, keep_source=False)
    assert again.read_bytes() == out.read_bytes(), "the same input must give the same bytes"
    assert lite.lock_entry(out)["imports"] == ["alpha"]


def test_compiled_wheel_keeping_source_puts_bytecode_in_pycache(tmp_path):
    src = wheel_with(tmp_path)
    out = lite.compiled_wheel(src, tmp_path / "out", {"alpha/mod.py": b"PYC"}, keep_source=True)
    assert out.name == src.name, "a wheel that keeps its source still runs anywhere: same name"
    with zipfile.ZipFile(out) as zf:
        assert zf.read("alpha/mod.py") == b"x = 1\n"
        assert zf.read(f"alpha/__pycache__/mod.{lite.PYC_CACHE_TAG}.pyc") == b"PYC"
        record_ok(zf, "alpha-1.0.dist-info")


def test_compiled_wheel_names(tmp_path):
    assert lite.compiled_name("jedi-0.20.1-py2.py3-none-any.whl", {"a.py": b""}, False) == \
        "jedi-0.20.1-cp314-none-any.whl"
    platform = "pydantic_core-2.50.4-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
    assert lite.compiled_name(platform, {"a.py": b""}, False) == platform
    assert lite.compiled_name("x-1-py3-none-any.whl", {}, False) == "x-1-py3-none-any.whl", "nothing compiled"
    with pytest.raises(lite.LiteBuildError, match="not a Python file of the wheel"):
        lite.compiled_wheel(wheel_with(tmp_path), tmp_path / "o", {"alpha/missing.py": b""}, keep_source=False)


def test_compiled_stdlib_replaces_compiled_sources_only(tmp_path):
    src = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("json/__init__.py", "import json.decoder\n")
        zf.writestr("json/decoder.py", "x = 1\n")
        zf.writestr("LICENSE.txt", "psf")
    out = lite.compiled_stdlib(src, tmp_path / "out.zip", {"json/__init__.py": b"PYC"})
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["LICENSE.txt", "json/__init__.pyc", "json/decoder.py"]
        assert zf.read("json/__init__.pyc") == b"PYC"


def test_precompile_without_node_ships_source_and_says_so(tmp_path, monkeypatch):
    wheels = [wheel_with(tmp_path)]
    lines: list[str] = []
    monkeypatch.setattr(bytecode.shutil, "which", lambda name: None)
    assert lite.precompile(tmp_path, wheels, tmp_path / "cache", lines.append) == wheels
    assert "no Node found" in lines[0] and "Node >= 18" in lines[0]
    monkeypatch.setattr(bytecode.shutil, "which", lambda name: "/usr/bin/node")
    monkeypatch.setattr(bytecode, "node_major", lambda node: 16)
    assert lite.precompile(tmp_path, wheels, tmp_path / "cache", lines.append) == wheels
    assert "Node 16 found" in lines[1]
    assert not (tmp_path / "cache").exists(), "nothing is written when the step cannot run"


def test_precompile_workload_uses_the_kit_as_the_notebooks_do():
    """The workload that decides what is precompiled imports the kit like notebook 03 (a figure drawn as HTML)."""
    assert "diagram.body_figure(Compression())" in lite.PYC_WORKLOAD
    assert "import pyodide_kernel" in lite.PYC_WORKLOAD and "import piplite.piplite" in lite.PYC_WORKLOAD
    compile(lite.PYC_WORKLOAD, "<workload>", "exec")
    compile(lite.PYC_SCRIPT, "<compile>", "exec")


def _added_script(tmp_path, add) -> str:
    """The script ``add`` puts into a minimal app page, before its ``</head>``; checks on the way that it refuses a
    page without one and fetches nothing from another host."""
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body></body></html>", encoding="utf-8")
    with pytest.raises(lite.LiteBuildError, match="cannot find its </head>"):
        add(broken)
    page = tmp_path / "index.html"
    page.write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    add(page)
    html = page.read_text(encoding="utf-8")
    script = html[html.index("<script>"):html.index("</head>")]
    assert "http" not in script, "nothing is fetched from another host"
    return script


def test_app_pages_load_plotly_js_early_through_the_figures_own_promise(tmp_path):
    script = _added_script(tmp_path, lite.preload_plotly)
    assert json.dumps(browser.SITE_PLOTLY_JS) in script and "requestIdleCallback" in script
    # the figure outputs look for the same promise first, so plotly.js is fetched and run once
    assert "w.__sciaticaPlotly" in script and "w.__sciaticaPlotly" in browser._DRAW_JS


def test_app_pages_start_the_notebooks_kernel_early(tmp_path):
    script = _added_script(tmp_path, lite.start_kernel_early)
    # public JupyterLab API only: a session for the notebook's path and name, which its own session context joins
    assert "sessions.startNew({path: path, name: name, type: 'notebook', kernel: {name: \"python\"}}," in script
    # its own link to the kernel leaves comms to the notebook's: with them, it closed the widgets' comms
    assert "{kernelConnectionOptions: {handleComms: false}}" in script
    assert json.dumps(lite.KERNEL_PLUGIN) in script and "w.jupyterapp" in script
    assert "mine.shutdown()" in script, "a kernel the notebook did not join is shut down"


def test_app_pages_run_the_session_notebook_by_its_name(tmp_path):
    """What the self-run script is made of; that it runs 10 and nothing else, in both apps, is tested in the
    browser (tests/browser/test_lite.py)."""
    script = _added_script(tmp_path, lite.autorun_session)
    # the session notebook by its file name, however it was opened
    assert f"name = {json.dumps(lite.SESSION_NOTEBOOK)}" in script
    assert "panel.context.path.split('/').pop() === name" in script
    # that tab's Run All Cells (public API), without switching tabs, once its kernel is connected
    assert "app.commands.execute('notebook:run-all-cells',\n" in script
    assert "{semanticWidget: panel.id, activate: false});" in script
    # then back to the first cell (Run All leaves the last one active, scrolled to)
    assert "nb.activeCellIndex = 0; nb.deselectAll(); nb.scrollToItem(0, 'start');" in script
    assert "Promise.all([panel.context.ready, ctx.ready])" in script
    # a notebook whose cells already ran is left alone; each document once, however many views of it
    assert "c.model.executionCount !== null" in script and "seen.add(panel.context)" in script
    # a tab opened later (a link, the file browser) is seen too, in JupyterLab and in the one-notebook app
    assert "[app.shell.layoutModified, app.shell.currentChanged]" in script and "app.started.then(again)" in script


def test_content_hashed_files_are_kept_without_asking(tmp_path):
    """Webpack chunks named by their content hash are sent as immutable (a later visit does not ask again); every
    other file, wheels and the Pyodide core included (same name, new bytes after a rebuild), is revalidated."""
    (tmp_path / "jupyter-lite.json").write_text("{}")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "5079.7bde706.js").write_text("chunk")
    (tmp_path / "build" / "bundle.js").write_text("entry")
    (tmp_path / "sciatica_edu-0.1.0-py3-none-any.whl").write_bytes(b"PK")
    server = lite.make_server(tmp_path, 0, gzip=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/build/5079.7bde706.js?v=1") as r:
            assert r.headers["Cache-Control"] == "max-age=31536000, immutable"
        for name in ("/build/bundle.js?_=c9f706b", "/sciatica_edu-0.1.0-py3-none-any.whl", "/jupyter-lite.json"):
            with urllib.request.urlopen(base + name) as r:
                assert r.headers["Cache-Control"] == "no-cache", name
    finally:
        server.shutdown()
        server.server_close()


def test_the_kit_wheel_carries_every_template_the_handout_reads():
    """Notebook 10 failed in the browser when the handout's print styles moved to templates/handout.css and the
    wheel kept only the page template: every template file pages/handout.py names must be in the wheel."""
    import re

    from sciatica_edu import lite

    source = (REPO / "sciatica_edu" / "pages" / "handout.py").read_text(encoding="utf-8")
    named = set(re.findall(r"""["']([\w.-]+\.(?:j2|css))["']""", source))
    assert named and named <= set(lite.HANDOUT_TEMPLATES), named
    for name in lite.HANDOUT_TEMPLATES:
        assert (REPO / "sciatica_edu" / "templates" / name).is_file(), name


# --------------------------------------------------------------------------- the files for whoever hosts the site


def _wheel(path: Path, name: str, version: str, meta: list[str], extra: dict[str, bytes] | None = None) -> Path:
    dist = f"{name.replace('-', '_')}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{dist}/METADATA", "\n".join(["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                                                   *meta, ""]))
        for member, data in (extra or {}).items():
            zf.writestr(f"{dist}/{member}", data)
    return path


def test_a_wheels_licence_is_read_from_its_metadata_and_never_guessed(tmp_path):
    """License-Expression first, then a one-line License field, then the classifiers; with none, "not stated"."""
    expr = _wheel(tmp_path / "a.whl", "alpha", "1.0", ["License-Expression: MIT", "License: ignored"],
                  {"licenses/LICENSE": b"MIT"})
    field = _wheel(tmp_path / "b.whl", "beta", "2.0", ["License: BSD-2-Clause"])
    long_field = _wheel(tmp_path / "c.whl", "gamma", "3.0",
                        ["License: " + "a licence text far too long to be a name " * 3,
                         "Classifier: License :: OSI Approved :: Apache Software License"])
    bare = _wheel(tmp_path / "d.whl", "delta", "4.0", [])
    assert notices.wheel_licence(expr) == ("alpha", "1.0", "MIT", ["licenses/LICENSE"])
    assert notices.wheel_licence(field)[2] == "BSD-2-Clause"
    assert notices.wheel_licence(long_field)[2] == "Apache Software License"
    assert notices.wheel_licence(bare)[2] == notices.NOT_STATED


def test_the_kit_wheel_states_its_licence_and_carries_it(tmp_path):
    wheel = lite.kit_wheel(tmp_path)
    name, version, licence, files = notices.wheel_licence(wheel)
    assert (name, licence, files) == ("sciatica-edu", "MIT", ["licenses/LICENSE"])
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read(f"sciatica_edu-{version}.dist-info/licenses/LICENSE") == (REPO / "LICENSE").read_bytes()


def test_sha256sums_cover_every_file_and_sha256sum_catches_a_change(tmp_path):
    """``sha256sum -c`` (coreutils) accepts the list as written, and fails once a file is changed."""
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    (site / "static" / "a.js").write_text("x = 1;")
    (site / "static" / "a.js.gz").write_bytes(b"\x1f\x8b")
    assert notices.write_sums(site) == 3
    listed = sorted(line.split("  ", 1)[1] for line in (site / "SHA256SUMS").read_text().splitlines())
    assert listed == ["index.html", "static/a.js", "static/a.js.gz"]
    ok = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=site, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (site / "static" / "a.js").write_text("x = 2;")
    bad = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=site, capture_output=True, text=True)
    assert bad.returncode != 0 and "static/a.js: FAILED" in bad.stdout, bad.stdout


def _sdist(path: Path, root: str, members: dict[str, bytes]) -> Path:
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"{root}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_wheel_made_from_source_carries_the_sources_licence(tmp_path):
    """lite.pure_wheel (MarkupSafe): the licence files at the source's top level and its stated licence
    (PKG-INFO) go into the wheel, which the site redistributes; a stale cached wheel is made again."""
    cache = tmp_path / "cache"
    (cache / "sdists").mkdir(parents=True)
    _sdist(cache / "sdists" / "demo_pkg-1.0.tar.gz", "demo_pkg-1.0", {
        "PKG-INFO": b"Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0\nLicense-Expression: BSD-3-Clause\n"
                    b"License-File: LICENSE.txt\n",
        "LICENSE.txt": b"Copyright 2010 Demo\n",
        "src/demo_pkg/__init__.py": b"x = 1\n",
        "docs/license.rst": b"not a top-level licence file\n",
    })
    (cache / "wheels").mkdir()
    (cache / "wheels" / "demo_pkg-1.0-py3-none-any.whl").write_bytes(b"stale")
    wheel = lite.pure_wheel("demo-pkg", "1.0", cache, log=lambda line: None)
    assert notices.wheel_licence(wheel) == ("demo-pkg", "1.0", "BSD-3-Clause", ["licenses/LICENSE.txt"])
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("demo_pkg-1.0.dist-info/licenses/LICENSE.txt") == b"Copyright 2010 Demo\n"
        assert "demo_pkg/__init__.py" in zf.namelist()
    again = lite.pure_wheel("demo-pkg", "1.0", cache, log=lambda line: None)
    assert again.read_bytes() == wheel.read_bytes(), "the same source must give the same bytes"
