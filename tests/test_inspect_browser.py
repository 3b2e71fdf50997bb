"""The HTML report in a real browser (Debian's chromium and chromedriver, through selenium):
no script from a page runs, payloads show as text, and every filter of the index works.

Skipped when the browser is missing, except in CI (CI=true), where that is a failure:
.ci/run installs chromium and chromium-driver with apt. With VNEXTRACT_SCREENSHOTS=docs/ the
fixtures' test also saves the README's screenshots there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def _unavailable() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return "chromium and chromium-driver are not installed (apt-get install ...)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _unavailable()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run in CI: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="vnextract-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(arg)
    # The driver's path is given, so selenium-manager never looks for (or downloads) one.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _pwned(driver: Any) -> Any:
    return driver.execute_script("return window.__pwned;")


def _visible_rows(driver: Any) -> list[str]:
    """Titles of the index rows that are shown."""
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "#docs tbody tr")
    return [r.find_element(By.CSS_SELECTOR, "td.title").text for r in rows if r.is_displayed()]


def _set(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    element = driver.find_element(By.ID, element_id)
    if element.tag_name == "select":
        Select(element).select_by_value(value)
    else:
        element.clear()
        if value:
            element.send_keys(value)


def test_report_is_inert_and_filters_work(
    browser: Any, tmp_path: Path, hostile_jsonl: Path
) -> None:
    from selenium.webdriver.common.by import By

    out = tmp_path / "report"
    assert main(["report", str(hostile_jsonl), "-o", str(out)]) == 0
    browser.get((out / "index.html").as_uri())
    assert _pwned(browser) is None
    hostile, ordinary, empty = PAYLOAD, "Sơn La sơ kết Nghị quyết 35", "Giá vàng hôm nay"
    assert _visible_rows(browser) == [hostile, ordinary, empty]  # the payload, as text
    shown = browser.find_element(By.ID, "shown").text
    assert shown == "3 of 3 documents shown"  # the filter script ran (the CSP allows it)
    cases = [
        ("f-kind", "document_ref", [ordinary]),
        ("f-kind", "date", [hostile]),
        ("f-rule", "award_tally", [ordinary]),
        ("f-rule", '"><svg onload="window.__pwned=1">', [hostile]),
        ("f-site", "Báo Sơn La", [ordinary]),
        ("f-site", "(no site)", [empty]),
        ("f-errors", "yes", [hostile]),
        ("f-errors", "no", [ordinary, empty]),
        ("f-q", "GIÁ VÀNG", [empty]),
        ("f-q", "35-nq/tw", [ordinary]),
        ("f-q", "onerror", [hostile]),
        ("f-q", "nowhere at all", []),
    ]
    for element_id, value, expected in cases:
        _set(browser, element_id, value)
        assert _visible_rows(browser) == expected, (element_id, value)
        assert browser.find_element(By.ID, "shown").text == f"{len(expected)} of 3 documents shown"
        _set(browser, element_id, "")
        assert len(_visible_rows(browser)) == 3
    _set(browser, "f-kind", "award")  # filters combine
    _set(browser, "f-errors", "yes")
    assert _visible_rows(browser) == []
    _set(browser, "f-kind", "")
    assert _visible_rows(browser) == [hostile]
    assert _pwned(browser) is None
    browser.find_element(By.LINK_TEXT, PAYLOAD).click()  # the hostile document's page
    assert browser.current_url.endswith("/doc-00001.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == PAYLOAD
    body = browser.find_element(By.TAG_NAME, "body").text
    assert '"><svg onload="window.__pwned=1">' in body and PAYLOAD in body
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main svg, main script") == []
    assert len(browser.find_elements(By.CSS_SELECTOR, ".text mark")) == 2
    assert _pwned(browser) is None


def test_report_of_the_fixtures_renders(browser: Any, tmp_path: Path, fixtures_jsonl: Path) -> None:
    from selenium.webdriver.common.by import By

    out = tmp_path / "report"
    assert main(["report", str(fixtures_jsonl), "-o", str(out)]) == 0
    browser.get((out / "index.html").as_uri())
    assert len(browser.find_elements(By.CSS_SELECTOR, ".charts svg")) == 3
    assert len(_visible_rows(browser)) == 11
    _set(browser, "f-kind", "award")
    assert 0 < len(_visible_rows(browser)) < 11
    browser.get((out / "doc-00001.html").as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, ".text mark")
    assert marks and marks[0].value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    rows = browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")
    assert len(rows) == 17
    shots = os.environ.get("VNEXTRACT_SCREENSHOTS")  # e.g. docs/: remakes the README's images
    if shots:
        browser.execute_script("document.querySelector('.legend').scrollIntoView()")
        browser.save_screenshot(str(Path(shots) / "report.png"))
        browser.get((out / "index.html").as_uri())
        browser.save_screenshot(str(Path(shots) / "report-index.png"))
