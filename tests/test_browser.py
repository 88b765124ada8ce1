"""A real browser (headless Chromium driven by Selenium) analyses an article through the web page."""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium and chromium-driver are not installed")
# The README shows this page; SPINLENS_UPDATE_SCREENSHOT=1 rewrites it, otherwise a test run leaves docs/ alone.
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot-analyse.png"
# The opinion piece of benchmarks/opinion_article.py: quoted sources, so the page shows attributions too.
OPINION = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "opinion.txt"


@pytest.fixture
def server(tmp_path):
    uvicorn = pytest.importorskip("uvicorn")
    from spinlens.server.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(f"sqlite:///{tmp_path / 'browser.db'}"), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)


@pytest.fixture
def driver(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
                 "--window-size=1200,1000"):
        options.add_argument(flag)
    instance = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield instance
    instance.quit()


def test_analyse_page_highlights_fragments(server, driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(server + "/")
    driver.execute_script("document.getElementById('text').value = arguments[0];", OPINION.read_text(encoding="utf-8"))
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".frag")))
    fragments = driver.find_elements(By.CSS_SELECTOR, ".frag")
    assert fragments and "/articles/" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, ".att.cue") and driver.find_elements(By.CSS_SELECTOR, ".att.source")
    assert any(f.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent") for f in fragments)
    # Unticking a technique in the legend hides its fragments (the filter's JavaScript runs).
    first = fragments[0].get_attribute("data-techniques").split()[0]
    driver.find_element(By.CSS_SELECTOR, f'input[data-technique="{first}"]').click()
    assert any(f.get_attribute("data-off") is not None for f in driver.find_elements(By.CSS_SELECTOR, ".frag"))
    driver.find_element(By.CSS_SELECTOR, f'input[data-technique="{first}"]').click()
    shot = SCREENSHOT if os.environ.get("SPINLENS_UPDATE_SCREENSHOT") == "1" else tmp_path / SCREENSHOT.name
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 0
    # The claims box (off by default) shades the sentences, with CSS alone.
    sentence = driver.find_element(By.CSS_SELECTOR, '.article [class^="claim-"]:not(.claim-none)')
    assert sentence.value_of_css_property("background-color") == "rgba(0, 0, 0, 0)"
    driver.find_element(By.CSS_SELECTOR, ".claims-toggle").click()
    assert sentence.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"


def test_notebook_filters_work_when_the_host_runs_the_script_by_eval(driver):
    # Some notebook front-ends insert output HTML and then eval its scripts, where document.currentScript
    # is null: the filter script failed there and the legend's boxes did nothing.
    from selenium.webdriver.common.by import By

    from spinlens.render.html import render_fragment
    from spinlens.types import Analysis, Article, TechniqueSpan

    text = "The vile traitors lied again."
    fragment = render_fragment(Analysis(Article(text), (TechniqueSpan(4, 17, "Name_Calling,Labeling", 0.9, 0.8),)))
    driver.get("about:blank")
    driver.execute_script(
        "var host = document.createElement('div'); host.innerHTML = arguments[0]; document.body.appendChild(host);"
        "host.querySelectorAll('script').forEach(function (s) { window.eval(s.textContent); });", fragment)
    driver.find_element(By.CSS_SELECTOR, 'input[data-technique]:not([data-technique=""])')
    box = driver.find_element(By.CSS_SELECTOR, 'label:not(.none) input[data-technique]')
    box.click()
    assert driver.find_element(By.CSS_SELECTOR, ".frag").get_attribute("data-off") is not None
