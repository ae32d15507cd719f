"""The README's `make test` provides what its tests need (Chromium included), before any test runs, and CI
calls that command rather than installing things itself."""

from __future__ import annotations

import subprocess

from bot.paths import ROOT


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_make_test_checks_for_chromium_before_any_test_step() -> None:
    plan = make("-n", "test").stdout
    chromium, first_step = plan.find("apt-get install -y"), plan.find("ruff check")
    assert 0 <= chromium < first_step, plan[:2000]


def test_without_root_it_names_the_package_in_one_line_and_stops() -> None:
    done = make("system-deps", "USER_ID=1000", "BROWSER_EXECUTABLE=/nonexistent/chromium")
    assert done.returncode != 0
    said = done.stdout.strip().splitlines()
    assert len(said) == 1 and "apt-get install chromium" in said[0]


def test_an_installed_browser_is_left_alone() -> None:
    done = make("system-deps", "BROWSER_EXECUTABLE=/bin/sh")
    assert done.returncode == 0 and not done.stdout.strip()


def test_ci_runs_the_readme_test_command_and_installs_nothing_itself() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test\n" in ci and "apt-get" not in ci
    assert "make test" in (ROOT / "README.md").read_text()
