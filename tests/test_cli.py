"""The ``sciatica-edu`` command: good arguments work; bad ones give one line on stderr, exit 2, write nothing."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_edu import cli, widgets

SCRIPT = Path(sys.executable).parent / "sciatica-edu"


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


BAD_HANDOUT = [
    (["--disc", "L9-S9"], "unknown disc 'L9-S9'; choose one of L3-L4, L4-L5, L5-S1"),
    (["--disc", "L4-L5", "--zone", "sideways"], "unknown zone 'sideways'"),
    (["--disc", "L4-L5", "--side", "up"], "unknown side 'up'; choose one of left, right, both"),
    (["--disc", "L4-L5", "--severity", "abc"], "severity must be a number from 0 to 1"),
    (["--disc", "L4-L5", "--severity", "1.5"], "severity must be a number from 0 to 1"),
    (["--disc", "L4-L5", "--severity", "-0.1"], "severity must be a number from 0 to 1"),
    (["--disc", "L4-L5", "--severity", "nan"], "severity must be a number from 0 to 1"),
    (["--zone", "central"], "give --disc (e.g. --disc L4-L5) or --preset"),
    (["--disc", "L4-L5", "--zone", "central", "--side", "left"], "a central bulge presses on both sides"),
    (["--preset", "nope"], "unknown preset 'nope'; choose one of l4-l5-left"),
    (["--preset", "central-stenosis", "--disc", "L4-L5"], "give --preset or --disc, not both"),
    (["--disc", "L4-L5", "--cause", "piriformis"], "unknown cause 'piriformis'"),
    (["--disc", "L4-L5", "--onset", "ages"], "choose one of new, long_standing"),
    (["--disc", "L4-L5", "--locale", "fr"], "argument --locale: invalid choice: 'fr'"),
]


@pytest.mark.parametrize(("locale", "says", "never"), [
    ("uk", "999", "911"), ("us", "911", "999"), ("intl", "local emergency number", "999"),
])
def test_handout_locale_and_preset(capsys, tmp_path, monkeypatch, locale, says, never):
    from sciatica_edu import handout, session

    out = tmp_path / f"h-{locale}.html"
    code, _stdout, err = run_main(capsys, "handout", "--preset", "central-stenosis", "--locale", locale,
                                  "--out", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert page == handout.handout_html(session.preset("central-stenosis").compression, locale=locale)
    words = handout.visible_text(page)
    assert says in words and never not in words
    # the environment variable chooses the locale when --locale is not given
    monkeypatch.setenv("SCIATICA_EDU_LOCALE", locale)
    again = tmp_path / f"env-{locale}.html"
    assert run_main(capsys, "handout", "--preset", "central-stenosis", "--out", str(again))[0] == 0
    assert again.read_text(encoding="utf-8") == page
    monkeypatch.setenv("SCIATICA_EDU_LOCALE", "mars")
    code, _, err = run_main(capsys, "handout", "--preset", "central-stenosis", "--out", str(tmp_path / "x.html"))
    assert code == 2 and "unknown locale (from $SCIATICA_EDU_LOCALE) 'mars'; choose one of uk, us, intl" in err


@pytest.mark.parametrize(("args", "message"), BAD_HANDOUT, ids=[" ".join(a) for a, _ in BAD_HANDOUT])
def test_bad_handout_arguments_one_line_exit_2_nothing_written(capsys, tmp_path, args, message):
    out = tmp_path / "handout.html"
    code, stdout, err = run_main(capsys, "handout", *args, "--out", str(out))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("out", "message"),
    [("handout.txt", "--out must end in .html"), ("missing/handout.html", "does not exist"), (".", "is a folder")],
)
def test_bad_handout_out_path(capsys, tmp_path, monkeypatch, out, message):
    monkeypatch.chdir(tmp_path)
    if out == ".":
        out = str(tmp_path / "folder.html")
        Path(out).mkdir()
    code, _, err = run_main(capsys, "handout", "--disc", "L4-L5", "--out", out)
    assert code == 2 and message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == (["folder.html"] if "folder" in out else [])


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["present", "--port", "abc"],
        ["present", "--port", "80"],
        ["present", "--bogus"],
        ["export"],
        ["handout", "--disc"],
    ],
    ids=lambda a: " ".join(a) or "nothing",
)
def test_bad_command_lines_exit_2_with_one_line(capsys, argv):
    code, _, err = run_main(capsys, *argv)
    assert code == 2
    assert err.startswith("sciatica-edu") and ": error: " in err
    assert err.count("\n") == 1 and "usage:" not in err and "Traceback" not in err


def test_present_refuses_a_port_in_use(capsys, tmp_path):
    notebook = tmp_path / "session.ipynb"
    notebook.write_text("{}")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run_main(capsys, "present", "--port", str(port), "--no-browser", "--notebook", str(notebook))
    assert code == 2 and f"port {port} is in use" in err


def test_present_refuses_a_missing_notebook(capsys, tmp_path):
    code, _, err = run_main(capsys, "present", "--notebook", str(tmp_path / "nope.ipynb"), "--no-browser")
    assert code == 2 and "does not exist" in err


def test_export_refuses_a_file_as_out_and_an_empty_notebook_folder(capsys, tmp_path):
    afile = tmp_path / "site"
    afile.write_text("x")
    code, _, err = run_main(capsys, "export", "--out", str(afile), "--notebooks", str(tmp_path))
    assert code == 2 and "is not a folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_main(capsys, "export", "--out", str(tmp_path / "out"), "--notebooks", str(empty))
    assert code == 2 and "no NN-name.ipynb notebooks" in err
    assert not (tmp_path / "out").exists()


def test_help_lists_the_three_commands(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert all(word in out for word in ("present", "handout", "export"))


def test_voila_command_is_local_code_hidden_offline_template(tmp_path):
    cmd = cli.voila_command(tmp_path / "s.ipynb", 12345, open_browser=False)
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=12345" in cmd
    assert "--strip_sources=True" in cmd and "--template=sciatica" in cmd and "--no-browser" in cmd
    assert "--no-browser" not in cli.voila_command(tmp_path / "s.ipynb", 12345, open_browser=True)


def test_voila_serves_plotly_widget_code_once_and_skips_labs_plotly_renderer(tmp_path):
    """present copies the diagram's front-end into the template (the page preloads it) and tells the kernel;
    JupyterLab's own plotly renderer (4.8 MB more to parse) is not loaded."""
    cmd = cli.voila_command(tmp_path / "s.ipynb", 12345, open_browser=False)
    assert "--VoilaConfiguration.extension_denylist=['jupyterlab-plotly']" in cmd
    root = cli.voila_template_root()
    try:
        served = root / "voila" / cli.WIDGET_CODE_PATH
        assert served.read_text(encoding="utf-8") == widgets.figure_widget_code()  # the kit's slim front-end
        assert cli.voila_env(root)[cli.WIDGET_CODE_ENV] == cli.WIDGET_CODE_PATH
        template = (root / "voila" / "templates" / "sciatica" / "index.html.j2").read_text()
        assert f'rel="modulepreload" href="{{{{ resources.base_url }}}}voila/{cli.WIDGET_CODE_PATH}"' in template
        assert f'import("{{{{ resources.base_url }}}}voila/{cli.WIDGET_CODE_PATH}")' in template  # run early too
        served.unlink()  # no copy: the kernel is not told to look for one
        assert cli.WIDGET_CODE_ENV not in cli.voila_env(root)
    finally:
        import shutil

        shutil.rmtree(root)


def test_voila_template_folder_has_no_cdn_links():
    root = cli.voila_template_root()
    try:
        template = (root / "voila" / "templates" / "sciatica" / "index.html.j2").read_text()
        assert '"base_template": "lab"' in (root / "voila" / "templates" / "sciatica" / "conf.json").read_text()
        assert "cdn.jsdelivr" not in template and "https://" not in template.replace("https://github.com/pallets", "")
    finally:
        import shutil

        shutil.rmtree(root)


def test_notebooks_folder_is_found_in_the_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv(cli.NOTEBOOKS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no ./notebooks here: falls back to the checkout
    assert cli.find_notebooks_dir() == (Path(cli.__file__).resolve().parent.parent / "notebooks")
    monkeypatch.setenv(cli.NOTEBOOKS_ENV, str(tmp_path))
    assert cli.find_notebooks_dir() == tmp_path.resolve()


def test_console_script_bad_argument_has_no_traceback(tmp_path):
    """Through the installed console script, as a clinician would type it."""
    out = tmp_path / "h.html"
    proc = subprocess.run(
        [str(SCRIPT), "handout", "--disc", "L5-S2", "--out", str(out)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "unknown disc 'L5-S2'" in proc.stderr
    assert not out.exists()
