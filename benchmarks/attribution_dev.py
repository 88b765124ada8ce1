"""Attribution figures on PolNeAR dev: the shipped tagger and the rule baseline, token level per role.

    python benchmarks/attribution_dev.py --data ../shared/data/polnear

The same scores as `spinlens predict brat --texts DEV/text --out P && spinlens eval attribution
--texts DEV/text --gold DEV/attributions --pred P`. Prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from spinlens.attribution.data import read_polnear
from spinlens.attribution.extractor import to_brat
from spinlens.attribution.rules import rule_attributions
from spinlens.evaluate.attribution import attribution_scores, cue_recall
from spinlens.formats.brat import format_brat, parse_brat
from spinlens.pipeline import Analyzer
from spinlens.types import Article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    documents = read_polnear(args.data / "dev")
    analyses = Analyzer(attribution=True).analyze_many(Article(text) for text, _ in documents.values())
    systems = {"spinlens tagger": [], "rule baseline": []}
    for (text, gold), analysis in zip(documents.values(), analyses):
        systems["spinlens tagger"].append((text, gold, parse_brat(to_brat(text, analysis.attributions))))
        systems["rule baseline"].append((text, gold, parse_brat(format_brat(text, rule_attributions(text)))))
    print(f"PolNeAR dev: {len(documents)} texts (first annotator's file where there are two).\n")
    print("| system | Source P / R / F1 | Cue P / R / F1 | Content P / R / F1 | micro P / R / F1 | gold cues found |")
    print("|---|---|---|---|---|---|")
    for name, triples in systems.items():
        scores = attribution_scores(triples)
        found, total = cue_recall(triples)
        cells = [f"{s.precision:.3f} / {s.recall:.3f} / **{s.f1:.3f}**" for s in (scores[r] for r in ("Source", "Cue", "Content", "micro"))]
        print(f"| {name} | " + " | ".join(cells) + f" | {found}/{total} ({found / total:.3f}) |")


if __name__ == "__main__":
    main()
