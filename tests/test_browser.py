"""A real browser (headless Chromium driven by Selenium) analyses an article through the web page."""

import os
import re
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


def _corpus_for_charts(url):
    """A corpus whose charts have a long label (an outlet of 200 characters), a long value (1,474 fragments)
    and densities with many decimals, stored without the models."""
    from spinlens.labels import TECHNIQUES
    from spinlens.store.db import ArticleMeta, Store
    from spinlens.types import Analysis, Article, TechniqueSpan

    store = Store(url)
    words = " ".join(f"word{i}" for i in range(3_000))
    for n, (outlet, fragments, published) in enumerate([("o" * 200, 1_474, "2020-01-01"), ("example.org", 23, "2020-01-02"),
                                                        ("short.news", 7, None)]):
        text = f"Headline number {n}\n\n{words} and article {n}."
        # The first article's fragments are all loaded language; the second's cycle through the 14 techniques.
        spans = tuple(TechniqueSpan(i * 8, i * 8 + 5, TECHNIQUES[8 if n == 0 else i % 14], 0.9, 0.8) for i in range(fragments))
        store.add(Analysis(Article(text, source=f"/data/article{n}.txt"), spans), ArticleMeta(outlet=outlet, published=published))
    store.close()


def _overflows(driver):
    """Every chart label that lies outside its SVG, and how far the page scrolls sideways."""
    return driver.execute_script("""
        var out = [];
        document.querySelectorAll('svg').forEach(function (svg) {
          var box = svg.getBoundingClientRect();
          svg.querySelectorAll('text').forEach(function (text) {
            var r = text.getBoundingClientRect();
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
              out.push(text.textContent + ' at ' + [r.left, r.right, r.top, r.bottom].join(',') + ' in ' + [box.left, box.right, box.top, box.bottom].join(','));
          });
        });
        return [out, document.documentElement.scrollWidth - document.documentElement.clientWidth];""")


@pytest.mark.parametrize("width", [1200, 390])
def test_chart_labels_lie_inside_their_svg_and_pages_fit_the_screen(server, driver, tmp_path, width):
    _corpus_for_charts(f"sqlite:///{tmp_path / 'browser.db'}")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(server + "/corpus")
    labels = driver.execute_script("return Array.prototype.map.call(document.querySelectorAll('svg text'), function (t) { return t.textContent; })")
    # Counts with thousands separators (1,474 + 2 fragments of loaded language), densities with one decimal.
    assert "1,476" in labels and "Loaded language" in labels and "o" * 39 + "…" in labels and "490.4" in labels, labels
    assert [label for label in labels if re.fullmatch(r"[\d,.]+", label) and not re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d)?", label)] == []
    outside, sideways = _overflows(driver)
    assert outside == [] and sideways == 0
    # The article page and the analyse form fit too (at 390 px: tables become blocks, the form's fields shrink).
    for path in ("/articles/1", "/"):
        driver.get(server + path)
        assert _overflows(driver)[1] == 0, path


def test_attribution_underlines_are_off_until_ticked_and_fragments_carry_their_letter(server, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(server + "/")
    driver.execute_script("document.getElementById('text').value = arguments[0];", OPINION.read_text(encoding="utf-8"))
    driver.find_element(By.ID, "title").send_keys("An opinion")
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".frag")))
    assert driver.find_element(By.TAG_NAME, "h1").text == "An opinion"
    source = driver.find_element(By.CSS_SELECTOR, ".article .att.source")
    assert source.value_of_css_property("border-bottom-style") == "none"
    driver.find_element(By.CSS_SELECTOR, ".atts-toggle").click()
    assert source.value_of_css_property("border-bottom-style") == "solid"
    # Each fragment's letter is drawn before it, and goes with its technique when that is ticked off.
    frag = driver.find_element(By.CSS_SELECTOR, ".frag[data-starts]")
    badge = lambda: driver.execute_script("return getComputedStyle(arguments[0], '::before').content", frag)
    letters = frag.get_attribute("data-badge")
    assert letters and badge() == f'"{letters}"'
    for technique in frag.get_attribute("data-starts").split():
        driver.find_element(By.CSS_SELECTOR, f'input[data-technique="{technique}"]').click()
    assert frag.get_attribute("data-badge") == "" and badge() == "none"
