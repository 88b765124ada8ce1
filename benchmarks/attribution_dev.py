"""Attribution figures on PolNeAR dev: the shipped tagger and the rule baseline, token level per role,
and how often a source or content is attached to the right cue.

    python benchmarks/attribution_dev.py --data ../shared/data/polnear

The same scores as `spinlens predict brat --texts DEV/text --out P && spinlens eval attribution
--texts DEV/text --gold DEV/attributions --pred P`: the attributions an analysis keeps (from the tagger's
default score, as `predict brat`), or those from --min-attribution-score (0: every one, whatever its score). The official figures do not look at which cue a
source or content belongs to; the second table does: a letter or digit of a predicted source (content)
counts as right when gold has it in a source (content) of an attribution whose cue overlaps the
predicted attribution's cue. Prints a Markdown section for docs/benchmarks.md.
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

Links = dict[tuple[str, int], list[tuple[int, int]]]  # (role, character) -> the cues it is attached to


def links(text: str, events: list[tuple[tuple[int, int], dict[str, list[tuple[int, int]]]]]) -> Links:
    attached: Links = {}
    for cue, parts in events:
        for role, spans in parts.items():
            for start, end in spans:
                for i in range(start, end):
                    if text[i].isalnum():
                        attached.setdefault((role, i), []).append(cue)
    return attached


def gold_events(document) -> list:
    events = []
    for event in document.events:
        (cue_id,) = event.of("Cue")[:1] or (None,)
        if cue_id in document.spans:
            pieces = document.spans[cue_id].pieces
            events.append(((pieces[0][0], pieces[-1][1]), {
                role: [p for ref in event.of(role) if ref in document.spans for p in document.spans[ref].pieces]
                for role in ("Source", "Content")}))
    return events


def linked_scores(pairs: list[tuple[Links, Links]]) -> dict[str, tuple[float, float, float]]:
    """Per role, P / R / F1 of characters attached to the right cue (predicted links, gold links)."""
    scores = {}
    for role in ("Source", "Content"):
        predicted = gold = right = 0
        for found, truth in pairs:
            for (r, i), cues in found.items():
                if r == role:
                    predicted += 1
                    right += any(a < d and c < b for a, b in cues for c, d in truth.get((r, i), ()))
            gold += sum(r == role for r, _ in truth)
        p, r = right / max(predicted, 1), right / max(gold, 1)
        scores[role] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--min-attribution-score", type=float, default=None,
                        help="keep attributions from this score on (default: the tagger's, as `spinlens predict brat`; 0: all)")
    args = parser.parse_args()
    documents = read_polnear(args.data / "dev")
    analyzer = Analyzer(attribution=True, min_attribution_score=args.min_attribution_score)
    analyses = analyzer.analyze_many(Article(text) for text, _ in documents.values())
    systems = {"spinlens tagger": [], "rule baseline": []}
    linked = []
    for (text, gold), analysis in zip(documents.values(), analyses):
        systems["spinlens tagger"].append((text, gold, parse_brat(to_brat(text, analysis.attributions))))
        found = [((a.cue.start, a.cue.end), {"Source": [(s.start, s.end) for s in a.sources],
                                             "Content": [(c.start, c.end) for c in a.contents]}) for a in analysis.attributions]
        linked.append((links(text, found), links(text, gold_events(gold))))
        systems["rule baseline"].append((text, gold, parse_brat(format_brat(text, rule_attributions(text)))))
    print(f"PolNeAR dev: {len(documents)} texts (first annotator's file where there are two).\n")
    print("| system | Source P / R / F1 | Cue P / R / F1 | Content P / R / F1 | micro P / R / F1 | gold cues found |")
    print("|---|---|---|---|---|---|")
    for name, triples in systems.items():
        scores = attribution_scores(triples)
        found, total = cue_recall(triples)
        cells = [f"{s.precision:.3f} / {s.recall:.3f} / **{s.f1:.3f}**" for s in (scores[r] for r in ("Source", "Cue", "Content", "micro"))]
        print(f"| {name} | " + " | ".join(cells) + f" | {found}/{total} ({found / total:.3f}) |")
    print("\nSpans attached to the right cue (spinlens tagger; letters and digits):\n")
    print("| role | P / R / F1 |\n|---|---|")
    for role, (p, r, f) in linked_scores(linked).items():
        print(f"| {role} | {p:.3f} / {r:.3f} / **{f:.3f}** |")


if __name__ == "__main__":
    main()
