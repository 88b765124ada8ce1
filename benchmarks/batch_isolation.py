"""A corpus run that meets bad inputs and is killed: what is stored, what is recorded, what is left running.

    python benchmarks/batch_isolation.py --data ../shared/data [--articles 300] [--kills 3] [--engine local]

The folder holds the first N PTC train articles (by name), the PolNeAR train text that crashed the
speaker linking (nyt_2016-08-01_with-ailes-out-and-murdoch-in-wh), a binary file and an empty file.
`spinlens batch --workers 2` runs on it into a fresh SQLite database; K times it is killed with SIGKILL
(the parent process alone, as an OOM killer does) at a random moment, and each time every process it
had started must be gone 10 s later. Then it runs to the end, and the database must hold each article
exactly once, the two bad files as failed, and the exit status must be 3 (some inputs failed).
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CRASHED = "nyt_2016-08-01_with-ailes-out-and-murdoch-in-wh"


def build(folder: Path, data: Path, articles: int) -> int:
    ptc = sorted((data / "ptc" / "train-articles").glob("article*.txt"))[:articles]
    for path in ptc:
        (folder / path.name).write_bytes(path.read_bytes())
    [crashed] = (data / "polnear" / "train" / "text").glob(f"{CRASHED}*.txt")
    (folder / crashed.name).write_bytes(crashed.read_bytes())
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "empty.txt").write_bytes(b"")
    return len(ptc) + 1


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        expected = build(folder, args.data, args.articles)
        db = Path(tmp) / "corpus.db"
        command = [sys.executable, "-m", "spinlens", "batch", str(folder), "--db", f"sqlite:///{db}",
                   "--workers", "2", "--engine", args.engine, "--no-progress"]
        problems = []
        for kill in range(args.kills):
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait = rng.uniform(2, 20)
            started = time.perf_counter()
            seen: dict[int, psutil.Process] = {}
            while time.perf_counter() - started < wait and process.poll() is None:
                seen.update({p.pid: p for p in descendants(process.pid)})  # workers come and go: all of them
                time.sleep(0.1)
            seen.update({p.pid: p for p in descendants(process.pid)})
            if process.poll() is not None:
                print(f"kill {kill + 1}: the run ended before the kill (after {wait:.1f} s)")
                break
            process.send_signal(signal.SIGKILL)
            process.wait()
            deadline = time.perf_counter() + 10
            while alive(list(seen.values())) and time.perf_counter() < deadline:
                time.sleep(0.2)
            left = alive(list(seen.values()))
            stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] if db.exists() else 0
            print(f"kill {kill + 1} at {wait:.1f} s: {stored} articles stored, {len(seen)} processes started, "
                  f"{len(left)} alive 10 s later")
            if left:
                problems.append(f"kill {kill + 1}: {len(left)} processes outlived their parent: {[p.pid for p in left]}")
                for p in left:
                    p.kill()
        started = time.perf_counter()
        final = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        print(f"final run: exit {final.returncode} in {seconds:.1f} s; {final.stdout.strip()}")
        connection = sqlite3.connect(db)
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        done = connection.execute("SELECT count(*) FROM inputs WHERE status = 'done'").fetchone()[0]
        failed = dict(connection.execute("SELECT key, error FROM inputs WHERE status = 'failed'").fetchall())
        hashes = connection.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0]
        print(f"stored {articles} articles ({hashes} distinct texts), {done} inputs done, {len(failed)} failed:")
        for key, error in sorted(failed.items()):
            print(f"  {Path(key).name}: {error}")
        if final.returncode != 3:
            problems.append(f"exit status {final.returncode}, not 3")
        if articles != expected or done != expected or hashes != expected:
            problems.append(f"{articles} articles / {done} done inputs, expected {expected} each")
        if sorted(Path(k).name for k in failed) != ["binary.txt", "empty.txt"]:
            problems.append(f"failed inputs {sorted(failed)}, expected binary.txt and empty.txt")
        print("OK" if not problems else "PROBLEMS:\n  " + "\n  ".join(problems))
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
