"""Score the blind human-style judgments of a random sample of technique flags.

Reads the sample (benchmarks/data/flags_blind_sample.jsonl: id, technique, fragment, ...) and the
judgments (benchmarks/data/flags_blind_judgments.jsonl: id, verdict, technique_instead, cut, note),
written by a judge who saw neither scores nor the tool, following benchmarks/data/flags_guidelines.md.
Prints the counts and shares of each verdict (right / other_technique / none / unsure), the share
"right technique and good span" (verdict right AND cut good), the share badly_cut among all flags, and
the same figures by the tool's technique label.

    python benchmarks/flags_blind.py
    python benchmarks/flags_blind.py --sample other.jsonl --judgments other_judgments.jsonl
    python benchmarks/flags_blind.py --sample a.jsonl b.jsonl --judgments a_judgments.jsonl b_judgments.jsonl   # pooled

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
VERDICTS = ("right", "other_technique", "none", "unsure")
CUTS = ("good", "badly_cut", "n/a")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def share(n: int, total: int) -> str:
    return f"{n:4d}  {100 * n / total:5.1f}%" if total else f"{n:4d}      -"


def summarise(title: str, rows: list[dict]) -> None:
    total = len(rows)
    verdicts = Counter(r["verdict"] for r in rows)
    right_good = sum(r["verdict"] == "right" and r["cut"] == "good" for r in rows)
    badly_cut = sum(r["cut"] == "badly_cut" for r in rows)
    print(f"{title} (n={total})")
    for v in VERDICTS:
        print(f"  {v:<24}{share(verdicts[v], total)}")
    print(f"  {'right and good span':<24}{share(right_good, total)}")
    print(f"  {'badly_cut (all flags)':<24}{share(badly_cut, total)}")
    instead = Counter(r["technique_instead"] for r in rows if r["verdict"] == "other_technique")
    if instead:
        print("  other_technique instead: " + ", ".join(f"{t} {n}" for t, n in instead.most_common()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, nargs="+", default=[DATA / "flags_blind_sample.jsonl"],
                        help="one sample, or several to pool (their ids differ)")
    parser.add_argument("--judgments", type=Path, nargs="+", default=[DATA / "flags_blind_judgments.jsonl"])
    args = parser.parse_args(argv)

    sample = {r["id"]: r for path in args.sample for r in read_jsonl(path)}
    judgments = [j for path in args.judgments for j in read_jsonl(path)]
    problems = []
    seen = set()
    for j in judgments:
        if j["id"] not in sample:
            problems.append(f"{j['id']}: not in the sample")
        if j["id"] in seen:
            problems.append(f"{j['id']}: judged twice")
        seen.add(j["id"])
        if j["verdict"] not in VERDICTS:
            problems.append(f"{j['id']}: unknown verdict {j['verdict']!r}")
        if j["cut"] not in CUTS:
            problems.append(f"{j['id']}: unknown cut {j['cut']!r}")
        if (j["verdict"] == "none") != (j["cut"] == "n/a"):
            problems.append(f"{j['id']}: cut must be n/a exactly when the verdict is none")
    missing = sorted(set(sample) - seen)
    if missing:
        problems.append(f"{len(missing)} flags not judged: {', '.join(missing[:5])}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    rows = [{**j, "technique": sample[j["id"]]["technique"]} for j in judgments]
    summarise("All flags", rows)
    by_label: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_label[r["technique"]].append(r)
    for label, group in sorted(by_label.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print()
        summarise(label, group)
    return 0


if __name__ == "__main__":
    sys.exit(main())
