"""How often the attribution rules name a source right: source type, speaker, speech kind, intermediaries.

    python benchmarks/attribution_rules.py --data ../shared/data/polnear

benchmarks/data/polnear_dev_rule_judgments.jsonl holds 120 attributions with a source, a seeded random
sample of the shipped models' output on PolNeAR dev (2026-11-27), each field judged by hand from the
text around it: the expected value, or "NA" where the tagged spans are too broken to judge the rules.
The script analyses the same texts again and scores the rules' current outputs on the attributions
whose cue and first source are still tagged the same (the tagger, not the rules, decides those).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spinlens.pipeline import Analyzer
from spinlens.types import Article

JUDGMENTS = Path(__file__).parent / "data" / "polnear_dev_rule_judgments.jsonl"


def produced(attribution) -> dict:
    return {
        "type": attribution.source_type,
        "speaker": attribution.speaker.text if attribution.speaker else None,
        "kind": attribution.kind,
        "via": [v.text for v in attribution.via],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    judged = [json.loads(line) for line in JUDGMENTS.read_text(encoding="utf-8").splitlines()]
    files = sorted({j["file"] for j in judged})
    texts = {f: (args.data / "dev" / "text" / f).read_text(encoding="utf-8") for f in files}
    analyses = dict(zip(files, Analyzer(attribution=True).analyze_many(Article(texts[f]) for f in files)))
    right = {field: 0 for field in ("type", "speaker", "kind", "via")}
    total = dict.fromkeys(right, 0)
    unmatched = 0
    for item in judged:
        found = [a for a in analyses[item["file"]].attributions
                 if [a.cue.start, a.cue.end] == item["cue"] and a.sources and [a.sources[0].start, a.sources[0].end] == item["source"]]
        if not found:
            unmatched += 1
            continue
        now = produced(found[0])
        for field, expected in item["expected"].items():
            if expected != "NA":
                total[field] += 1
                right[field] += now[field] == expected
    print(f"{len(judged)} judged attributions, {len(judged) - unmatched} still tagged the same\n")
    print("| field | right / judged |\n|---|---|")
    names = {"type": "source_type", "speaker": "speaker", "kind": "kind", "via": "via"}
    for field in right:
        print(f"| `{names[field]}` | {right[field]} / {total[field]} ({right[field] / max(1, total[field]):.2f}) |")


if __name__ == "__main__":
    main()
