"""Whether a change of code left the analyses as they were: every text of the training corpora, byte for byte.

    python benchmarks/same_output.py --data ../shared/data --save /tmp/before      # on the old code
    python benchmarks/same_output.py --data ../shared/data --check /tmp/before     # on the new code

Texts: PTC train (371), PolNeAR train (840) and dev (84), read as benchmarks/real_texts.py reads them.
One default Analyzer analyses them all with `analyze_many(errors="return")`, which must give one result
per text, in order. Each analysis's JSON, with the `model` entry set aside (versions change when models
do, not code), is written to DIR/NAME.json (--save) or compared with it (--check): the script prints how
many are the same, lists those that differ, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from spinlens.formats.brat import read_text
from spinlens.formats.ptc import read_article
from spinlens.pipeline import Analyzer
from spinlens.types import Analysis, Article


def corpus(data: Path) -> list[tuple[str, Article]]:
    texts = [(f"ptc-{p.stem}", Article(read_article(p), source=str(p))) for p in sorted((data / "ptc" / "train-articles").glob("*.txt"))]
    for part in ("train", "dev"):
        texts += [(f"polnear-{part}-{p.stem}", Article(read_text(p), source=str(p)))
                  for p in sorted((data / "polnear" / part / "text").glob("*.txt"))]
    return texts


def canonical(result: object) -> str:
    if not isinstance(result, Analysis):
        return json.dumps({"error": f"{type(result).__name__}: {result}"})
    data = result.to_dict()
    data.pop("model", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--save", type=Path)
    target.add_argument("--check", type=Path)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    texts = corpus(args.data)
    started = time.perf_counter()
    results = list(Analyzer(threads=args.threads).analyze_many([article for _, article in texts], errors="return"))
    seconds = time.perf_counter() - started
    assert len(results) == len(texts), f"{len(results)} results for {len(texts)} texts"
    failed = [name for (name, _), r in zip(texts, results) if not isinstance(r, Analysis)]
    print(f"{len(texts)} texts, {len(results)} results in order, {len(failed)} not analysed {failed[:5]}; {seconds:.0f} s")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for (name, _), result in zip(texts, results):
            (args.save / f"{name}.json").write_text(canonical(result), encoding="utf-8")
        print(f"saved {len(texts)} analyses to {args.save}")
        return
    differ = []
    for (name, _), result in zip(texts, results):
        before = args.check / f"{name}.json"
        if not before.is_file() or before.read_text(encoding="utf-8") != canonical(result):
            differ.append(name)
    print(f"{len(texts) - len(differ)} of {len(texts)} the same" + (f"; differ: {', '.join(differ[:20])}" if differ else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
