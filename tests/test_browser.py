"""A real browser (headless Chromium driven by Selenium) analyses an article through the web page."""

import os
import re
import shutil
import socket
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from spinlens.pipeline import Analyzer

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium and chromium-driver are not installed")]
# The README shows this page; SPINLENS_UPDATE_SCREENSHOT=1 rewrites it, otherwise a test run leaves docs/ alone.
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot-analyse.png"
# The web app's article page with a fragment's evidence open (docs/server.md); rewritten as the one above.
EVIDENCE_SCREENSHOT = SCREENSHOT.with_name("screenshot-article-evidence.png")
# The opinion piece of benchmarks/opinion_article.py: quoted sources, so the page shows attributions too.
OPINION = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "opinion.txt"


@pytest.fixture
def server(tmp_path):
    uvicorn = pytest.importorskip("uvicorn")
    from spinlens.server.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The pages are looked at with highlights in them: fragments from 0.3 on (the default shows few on the opinion article).
    app = create_app(f"sqlite:///{tmp_path / 'browser.db'}", analyzer_factory=partial(Analyzer, min_probability=0.3))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
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


def _no_models():
    raise RuntimeError("this page needs no models")


@pytest.fixture
def quiet_server(tmp_path):
    """The web app without its models (the pages that show stored articles need none), on tmp_path's
    browser.db: a test stores what it shows there first."""
    uvicorn = pytest.importorskip("uvicorn")
    import httpx

    from spinlens.server.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(f"sqlite:///{tmp_path / 'browser.db'}", analyzer_factory=_no_models)
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz")  # 503 (no models) once it answers
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)


def _evidence_analysis():
    from spinlens.types import Analysis, Article, Example, TechniqueSpan

    text = "The vile traitors lied again. Their plan is a disaster for everyone."
    examples = tuple(Example(f"7{n}1", "Name_Calling,Labeling", "cowards", f"They are cowards, said speaker {n}.", 0.9 - n / 50) for n in range(3))
    return Analysis(Article(text, title="Evidence"), (
        TechniqueSpan(4, 17, "Name_Calling,Labeling", 0.9, 0.8, probability=0.62, examples=examples),
        TechniqueSpan(text.index("disaster"), text.index("disaster") + 8, "Loaded_Language", 0.8, 0.7),
    ))


def _panel(driver):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, ".evidence-panel")


@pytest.mark.parametrize("width", [1200, 390])
def test_a_fragment_opens_its_evidence_panel_in_the_html_report(driver, tmp_path, width):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from spinlens.definitions import DEFINITIONS
    from spinlens.render.html import render_page

    report = tmp_path / "report.html"
    report.write_text(render_page(_evidence_analysis()), encoding="utf-8")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(report.as_uri())
    assert not _panel(driver).is_displayed()
    frag = driver.find_element(By.CSS_SELECTOR, '.frag[data-spans="0"]')
    frag.click()
    panel = _panel(driver)
    assert panel.is_displayed()
    assert DEFINITIONS["Name_Calling,Labeling"].meaning in panel.text and "62 %" in panel.text
    assert [b.text for b in panel.find_elements(By.CSS_SELECTOR, ".ev-examples li b")] == ["cowards"] * 3
    assert "article 701 · similarity 0.90" in panel.text
    # The panel lies on the screen, and the page does not scroll sideways.
    left, right, viewport, sideways = driver.execute_script(
        "var r = arguments[0].getBoundingClientRect(); var d = document.documentElement;"
        "return [r.left, r.right, d.clientWidth, d.scrollWidth - d.clientWidth];", panel)
    assert 0 <= left < right <= viewport and sideways == 0
    # The keyboard: Escape closes it and gives the focus back; Enter on a fragment and Space on another open one.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not panel.is_displayed() and driver.switch_to.active_element == frag
    frag.send_keys(Keys.ENTER)
    assert panel.is_displayed() and "cowards" in panel.text
    panel.find_element(By.CSS_SELECTOR, ".panel-close").click()
    other = driver.find_element(By.CSS_SELECTOR, '.frag[data-spans="1"]')
    driver.execute_script("arguments[0].focus()", other)
    other.send_keys(Keys.SPACE)
    assert panel.is_displayed() and "spinlens analyze --explain" in panel.text and DEFINITIONS["Loaded_Language"].meaning in panel.text


def test_article_page_shows_real_evidence_and_makes_the_screenshot(quiet_server, driver, tmp_path):
    from selenium.webdriver.common.by import By

    from spinlens import Analyzer
    from spinlens.errors import SpinlensError
    from spinlens.store.db import ArticleMeta, Store

    try:  # the evidence index ships beside the technique model (spinlens train examples builds it)
        # From 0.3 on, as the analyse page above: the default shows few fragments on the opinion article.
        analysis = Analyzer(threads=1, explain=True, min_probability=0.3).analyze(OPINION.read_text(encoding="utf-8"))
    except SpinlensError as error:
        pytest.skip(f"no evidence index: {error}")
    Store(f"sqlite:///{tmp_path / 'browser.db'}").add(analysis, ArticleMeta(title="An opinion", outlet="example.org"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    driver.get(quiet_server + "/articles/1")
    with_examples = [i for i, t in enumerate(analysis.techniques) if t.examples]
    assert with_examples
    frag = driver.find_element(By.CSS_SELECTOR, f'.frag[data-spans~="{with_examples[0]}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", frag)
    frag.click()
    panel = _panel(driver)
    assert panel.is_displayed() and "What it is not:" in panel.text
    assert panel.find_elements(By.CSS_SELECTOR, ".ev-examples li b")
    shot = EVIDENCE_SCREENSHOT if os.environ.get("SPINLENS_UPDATE_SCREENSHOT") == "1" else tmp_path / EVIDENCE_SCREENSHOT.name
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 0


def test_api_docs_render_swagger_ui_from_this_server_alone(quiet_server, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(quiet_server + "/docs")
    WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock")))
    paths = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock-summary-path")]
    assert "/api/analyze" in paths and "/api/articles/{article_id}" in paths
    WebDriverWait(driver, 10).until(lambda d: "TechniqueSpan" in d.find_element(By.CSS_SELECTOR, ".swagger-ui .models").text)
    # Every request the page made went to this server: the page itself, Swagger UI's files, /openapi.json.
    urls = driver.execute_script("return [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }))")
    assert any(url.endswith("/static/docs/swagger-ui-bundle.js") for url in urls) and any(url.endswith("/openapi.json") for url in urls)
    assert [url for url in urls if not url.startswith(quiet_server + "/")] == []


@pytest.mark.parametrize("width", [1200, 390])
def test_source_map_labels_lie_inside_its_svg_and_the_page_fits_the_screen(quiet_server, driver, tmp_path, width):
    from spinlens.store.db import ArticleMeta, Store
    from test_sources_map import corpus

    store = Store(f"sqlite:///{tmp_path / 'browser.db'}")
    for analysis, outlet, published in corpus():
        store.add(analysis, ArticleMeta(outlet=outlet and outlet * 40, published=published))  # outlets of 360 characters
    store.close()
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(quiet_server + "/sources")
    labels = driver.execute_script("return Array.prototype.map.call(document.querySelectorAll('svg.network text'), function (t) { return t.textContent; })")
    assert {"Outlets", "Intermediaries", "Sources", "RIA", "TASS", "Sergei Ryabkov", "(no outlet)"} <= set(labels), labels
    assert any(label.startswith("a.examplea.ex") and label.endswith("…") for label in labels), labels
    outside, sideways = _overflows(driver)
    assert outside == [] and sideways == 0
