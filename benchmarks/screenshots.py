"""The screenshot of the source map in docs/: the /sources page over 40 PTC train articles, stored by
`spinlens batch` and served without the models (the page shows stored analyses only).

    python benchmarks/screenshots.py --data ../shared/data/ptc [--db /tmp/ptc40.db] [--out docs/screenshot-sources.png]

The 40 articles: those of PTC train that name an intermediary in a way the attribution rules read
("according to Reuters", "CNN reported", "told RIA"), then the first others by name, up to 40. PTC keeps no
outlet, so each article gets a made-up one, "PTC sample 1" to "PTC sample 4", in turn by name: the outlets on
the picture are labels of this sample, not real publishers. An existing --db is used as it is (delete it to
analyse again). Needs the corpus and serve extras, Chromium and chromedriver (Debian's chromium and
chromium-driver) and selenium.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTERMEDIARY = re.compile(r"according to (?:the )?(?:RIA|TASS|Sputnik|Reuters|AP|Associated Press|Fox News|CNN)|"
                          r"(?:RIA|TASS|Reuters|CNN|Fox News)[^.]{0,40} reported|told (?:RIA|TASS|Sputnik|Reuters|CNN|Fox News)")


def sample(articles: Path, count: int) -> list[Path]:
    files = sorted(articles.glob("article*.txt"))
    relayed = [p for p in files if INTERMEDIARY.search(p.read_text(encoding="utf-8"))]
    return sorted((relayed + [p for p in files if p not in relayed])[:count])


def build(data: Path, db: Path, count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        records = Path(folder) / "ptc-sample.jsonl"
        with open(records, "w", encoding="utf-8") as handle:
            for i, path in enumerate(sample(data / "train-articles", count)):
                record = {"id": path.stem.removeprefix("article"), "text": path.read_text(encoding="utf-8"), "outlet": f"PTC sample {i % 4 + 1}"}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        subprocess.run([sys.executable, "-m", "spinlens", "batch", str(records), "--db", f"sqlite:///{db}", "--no-progress"], check=True)


def _no_models() -> None:
    raise RuntimeError("the screenshot needs no models")


def screenshot(db: Path, out: Path, width: int) -> None:
    import httpx
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from spinlens.server.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(f"sqlite:///{db}", analyzer_factory=_no_models), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz")
            break
        except httpx.HTTPError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    with tempfile.TemporaryDirectory() as profile:
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={width},1000"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"), options=options)
        try:
            driver.get(f"http://127.0.0.1:{port}/sources")
            # The network and the first rows of the tables below it.
            height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), 1900)
            driver.set_window_size(width, height + 140)  # the window's frame and bars, in headless mode too
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
            server.should_exit = True
            thread.join(10)
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ptc", help="PTC folder with train-articles/")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "spinlens-ptc-sample.db")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-sources.png")
    args = parser.parse_args()
    if not args.db.exists():
        build(args.data, args.db, args.count)
    screenshot(args.db, args.out, args.width)


if __name__ == "__main__":
    main()
