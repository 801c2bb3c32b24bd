"""The ``sciatica-edu`` command: good arguments work; bad ones give one line on stderr, exit 2, write nothing."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_edu import cli, present, widgets
from sciatica_edu._files import NOTEBOOKS_ENV

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
    (["--disc", "L4-L5", "--felt", "big_toe"], "--felt takes REGION:SIDE, e.g. big_toe:left, not 'big_toe'"),
    (["--disc", "L4-L5", "--felt", "elbow:left"], "--felt: unknown region 'elbow'; choose one of lower_back"),
    (["--disc", "L4-L5", "--felt", "heel:up"], "--felt: unknown side 'up'; choose one of left, right"),
    (["--disc", "L4-L5", "--follow-up", "next week"], "--follow-up takes a date as YYYY-MM-DD"),
    (["--disc", "L4-L5", *[a for i in range(9) for a in ("--plan", f"note {i}")]],
     "--plan: plan notes must be at most 8"),
]


def test_handout_with_felt_areas_a_plan_and_a_follow_up(capsys, tmp_path):
    from sciatica_edu.pages import handout

    out = tmp_path / "plan.html"
    code, _stdout, err = run_main(
        capsys, "handout", "--preset", "l4-l5-left", "--felt", "big_toe:left", "--felt", "lateral_leg:left",
        "--plan", "activity: walk 10 minutes, 3 times a day", "--plan", "Bring your list of medicines",
        "--follow-up", "2026-12-14", "--out", str(out))
    assert code == 0, err
    words = handout.visible_text(out.read_text(encoding="utf-8")).replace("\n", " ")
    assert "Where you said you feel it: big toe and outer side of the lower leg (left side)." in words
    assert "Activity goal: walk 10 minutes, 3 times a day" in words
    assert "Note: Bring your list of medicines" in words and "Monday 14 December 2026" in words


@pytest.mark.parametrize(("locale", "says", "never"), [
    ("uk", "999", "911"), ("us", "911", "999"), ("intl", "local emergency number", "999"),
])
def test_handout_locale_and_preset(capsys, tmp_path, monkeypatch, locale, says, never):
    from sciatica_edu.pages import handout
    from sciatica_edu.widgets import session

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
    cmd = present.voila_command(tmp_path / "s.ipynb", 12345, open_browser=False)
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=12345" in cmd
    assert "--strip_sources=True" in cmd and "--template=sciatica" in cmd and "--no-browser" in cmd
    assert "--no-browser" not in present.voila_command(tmp_path / "s.ipynb", 12345, open_browser=True)


def test_voila_serves_plotly_widget_code_once_and_skips_labs_plotly_renderer(tmp_path):
    """present copies the diagram's front-end into the template (the page preloads it) and tells the kernel;
    JupyterLab's own plotly renderer (4.8 MB more to parse) is not loaded."""
    cmd = present.voila_command(tmp_path / "s.ipynb", 12345, open_browser=False)
    assert "--VoilaConfiguration.extension_denylist=['jupyterlab-plotly']" in cmd
    root = present.voila_template_root()
    try:
        served = root / "voila" / present.WIDGET_CODE_PATH
        assert served.read_text(encoding="utf-8") == widgets.figure_widget_code()  # the kit's slim front-end
        assert present.voila_env(root)[present.WIDGET_CODE_ENV] == present.WIDGET_CODE_PATH
        template = (root / "voila" / "templates" / "sciatica" / "index.html.j2").read_text()
        assert f'rel="modulepreload" href="{{{{ resources.base_url }}}}voila/{present.WIDGET_CODE_PATH}"' in template
        assert f'import("{{{{ resources.base_url }}}}voila/{present.WIDGET_CODE_PATH}")' in template  # run early too
        served.unlink()  # no copy: the kernel is not told to look for one
        assert present.WIDGET_CODE_ENV not in present.voila_env(root)
    finally:
        import shutil

        shutil.rmtree(root)


def test_voila_template_folder_has_no_cdn_links():
    root = present.voila_template_root()
    try:
        template = (root / "voila" / "templates" / "sciatica" / "index.html.j2").read_text()
        assert '"base_template": "lab"' in (root / "voila" / "templates" / "sciatica" / "conf.json").read_text()
        assert "cdn.jsdelivr" not in template and "https://" not in template.replace("https://github.com/pallets", "")
    finally:
        import shutil

        shutil.rmtree(root)


def test_notebooks_folder_is_found_in_the_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv(NOTEBOOKS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no ./notebooks here: falls back to the checkout
    assert cli.find_notebooks_dir() == (Path(cli.__file__).resolve().parent.parent / "notebooks")
    monkeypatch.setenv(NOTEBOOKS_ENV, str(tmp_path))
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


# ----------------------------------------------------------------------------- --out: never the user's files


def test_handout_refuses_an_existing_out_unless_force(capsys, tmp_path):
    out = tmp_path / "handout.html"
    out.write_text("the clinician's own notes")
    code, _, err = run_main(capsys, "handout", "--disc", "L4-L5", "--out", str(out))
    assert code == 2 and "exists; add --force" in err and err.count("\n") == 1
    assert out.read_text() == "the clinician's own notes"
    code, stdout, _ = run_main(capsys, "handout", "--disc", "L4-L5", "--out", str(out), "--force")
    assert code == 0 and "wrote" in stdout and out.read_text().startswith("<!DOCTYPE html>")


def test_handout_default_name_is_numbered_never_replaced(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert run_main(capsys, "handout", "--disc", "L5-S1")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "handout-L5-S1-paracentral-left-60-2.html", "handout-L5-S1-paracentral-left-60.html"]


def test_handout_out_may_be_as_long_as_the_filesystem_allows(capsys, tmp_path):
    out = tmp_path / ("b" * 250 + ".html")  # 255 bytes: the longest name most filesystems allow
    code, _, err = run_main(capsys, "handout", "--disc", "L4-L5", "--out", str(out))
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("command", ["handout", "export"])
def test_unwritable_out_exits_2_naming_out_not_a_temporary_file(capsys, tmp_path, command):
    # /proc takes no new files, even for root (a chmod'ed folder would not stop root)
    argv = (["handout", "--disc", "L4-L5", "--out", "/proc/handout.html"] if command == "handout"
            else ["export", "--out", "/proc/sciatica-site", "--notebooks", str(cli.find_notebooks_dir())])
    code, _, err = run_main(capsys, *argv)
    assert code == 2 and "choose another --out" in err and ".part" not in err and err.count("\n") == 1


def test_export_refuses_a_folder_of_the_users_own_files(capsys, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("my own page")
    code, _, err = run_main(capsys, "export", "--out", str(mine), "--notebooks", str(tmp_path))
    assert code == 2 and "is not empty and holds no earlier export" in err and err.count("\n") == 1
    assert (mine / "index.html").read_text() == "my own page" and len(list(mine.iterdir())) == 1


def test_export_accepts_an_earlier_export_and_refuses_an_html_name(capsys, tmp_path):
    earlier = tmp_path / "site"
    earlier.mkdir()
    (earlier / "manifest.json").write_text("[]\n")
    (earlier / "index.html").write_text("an earlier export")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_main(capsys, "export", "--out", str(earlier), "--notebooks", str(empty))
    assert code == 2 and "no NN-name.ipynb notebooks" in err  # got past the --out check
    code, _, err = run_main(capsys, "export", "--out", str(tmp_path / ".html"), "--notebooks", str(empty))
    assert code == 2 and "--out is the folder to write the site into, not an .html file" in err


def test_error_messages_show_at_most_about_60_characters_of_a_bad_value(capsys, tmp_path):
    code, _, err = run_main(capsys, "handout", "--disc", "x" * 1_000_000, "--out", str(tmp_path / "h.html"))
    assert code == 2 and "(1000000 characters)" in err and len(err) < 200
    code, _, err = run_main(capsys, "handout", "--disc", "L4-L5", "--out", str(tmp_path / ("y" * 5000)))
    assert code == 2 and len(err) < 200
