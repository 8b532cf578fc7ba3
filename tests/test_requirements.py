"""A production install brings only runtime packages: test and lint tools live in
requirements-dev.txt, which `make test` and `make lint` install."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "playwright",
    "schemathesis",
    "hypothesis",
    "ruff",
    "djlint",
    "factory-boy",
    "faker",
    "werkzeug",
    "openapi-python-client",
}


def _pins(name):
    lines = [line.strip() for line in (ROOT / name).read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _name(pin):
    return re.sub(r"[-_.]+", "-", pin.split("==")[0]).lower()


def test_requirements_txt_has_no_test_or_lint_tool():
    names = {_name(pin) for pin in _pins("requirements.txt")}
    assert names & DEV_TOOLS == set()


def test_the_development_file_adds_the_tools_to_the_runtime_and_pins_everything():
    dev = _pins("requirements-dev.txt")
    assert dev[0] == "-r requirements.txt"
    assert {_name(pin) for pin in dev[1:]} >= DEV_TOOLS
    for pin in _pins("requirements.txt") + dev[1:]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", pin), pin


def test_make_test_and_lint_install_the_development_file_and_run_does_not():
    makefile = (ROOT / "Makefile").read_text()
    assert "-r requirements-dev.txt" in makefile
    assert re.search(r"^test: \$\(DEV_INSTALLED\)", makefile, re.M)
    assert re.search(r"^lint: \$\(DEV_INSTALLED\)", makefile, re.M)
    assert re.search(r"^setup: \$\(INSTALLED\)$", makefile, re.M)
    assert re.search(r"^run: setup$", makefile, re.M)
