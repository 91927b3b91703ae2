"""A headless Chromium for the HTML report tests: skipped, saying what to install, when
the browser or a CJK font is missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def browser_flags(tmp_path: Path) -> list[str]:
    """The command line of a headless, offline Chromium with its profile in ``tmp_path``;
    skips the test when there is no Chromium or no CJK font to draw the page with."""
    browser = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium")
                                           .exists() else None)
    if browser is None:
        pytest.skip("no chromium: apt-get install -y chromium to check the HTML in a browser")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        pytest.skip("no CJK font: apt-get install -y fonts-noto-cjk")
    return [browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]


def screenshot(flags: list[str], page: Path, shot: Path, size: str) -> bytes:
    """The PNG bytes of ``page`` drawn in a ``size`` (``"1000,1300"``) window."""
    subprocess.run([*flags, f"--window-size={size}", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return shot.read_bytes()


def dump_dom(flags: list[str], page: Path) -> str:
    """The document as the browser built it."""
    return subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True,
                          text=True, timeout=120, check=True).stdout
