"""deploy/ stays true to the code: the systemd units run commands that exist, the environment
file example names only variables the server reads, and systemd itself finds nothing wrong in the
units (where systemd-analyze is installed)."""

import re
import shutil
import subprocess
from configparser import ConfigParser
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CHECKOUT = "/srv/mutualaid"  # where the units expect the project
ENVIRONMENT_READERS = ("mutualaid/settings.py", "gunicorn.conf.py")
UNITS = sorted([*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")])


def unit(path: Path) -> ConfigParser:
    parser = ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


def test_there_is_a_unit_for_the_web_server_the_worker_and_housekeeping():
    names = {path.name for path in UNITS}
    assert names == {
        "mutualaid-web.service",
        "mutualaid-worker.service",
        "mutualaid-housekeeping.service",
        "mutualaid-housekeeping.timer",
    }


def test_each_service_runs_a_command_of_this_project():
    commands = get_commands()
    for path in DEPLOY.glob("*.service"):
        service = unit(path)["Service"]
        assert service["WorkingDirectory"] == CHECKOUT, path.name
        program, *args = service["ExecStart"].split()
        assert program.startswith(f"{CHECKOUT}/.venv/bin/"), path.name
        if "manage.py" in args:
            assert args[args.index("manage.py") + 1] in commands, path.name
        if "--config" in args:
            assert (ROOT / args[args.index("--config") + 1]).is_file(), path.name


def test_the_timer_starts_the_housekeeping_service():
    timer = unit(DEPLOY / "mutualaid-housekeeping.timer")
    assert timer["Timer"]["OnCalendar"] == "*:0/15"
    assert (DEPLOY / "mutualaid-housekeeping.service").is_file()  # the timer's own name


def test_the_environment_example_names_only_variables_the_server_reads():
    read = "".join((ROOT / name).read_text() for name in ENVIRONMENT_READERS)
    example = (DEPLOY / "mutualaid.env.example").read_text()
    names = re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE)
    assert "DEBUG" in names
    unknown = [name for name in names if f'"{name.removesuffix("_FILE")}"' not in read]
    assert unknown == []


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_finds_nothing_wrong_in_the_units(tmp_path):
    for path in UNITS:
        text = path.read_text().replace(CHECKOUT, str(ROOT))
        text = text.replace("/etc/mutualaid/mutualaid.env", str(DEPLOY / "mutualaid.env.example"))
        (tmp_path / path.name).write_text(text)
    result = subprocess.run(  # noqa: S603 (systemd's own checker, on our files)
        ["systemd-analyze", "verify", *sorted(str(path) for path in tmp_path.iterdir())],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
