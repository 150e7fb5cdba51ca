import os
import shutil

import numpy as np
import pytest
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # small models: one thread is fastest and avoids oversubscribing 2 cores


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# --------------------------------------------------------------------------- the browser tests
# (tests/test_site.py, tests/test_explorables.py): one headless Chromium for the whole session.
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI)", pytrace=False)
    pytest.skip(f"browser test skipped: {reason}")


def _find_chromium() -> str | None:
    """$CHROMIUM if set (and only it), else Debian's /usr/bin/chromium, else chromium on PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"] if os.access(os.environ["CHROMIUM"], os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    chromium = _find_chromium()
    if chromium is None:
        _unavailable("no Chromium found (install Debian's `chromium`, or set CHROMIUM=/path)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright for Python is not installed")
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - any launch failure means: no usable browser
            _unavailable(f"Chromium at {chromium} does not start: {exc}")
        yield browser
        browser.close()
