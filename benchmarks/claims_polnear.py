"""Sentence claims against PolNeAR's gold attributions: is a sentence "attributed" when gold says it is the
words of an attribution? A development check for spinlens.attribution.claims (run it on train; dev is
kept for held-out checks).

    python benchmarks/claims_polnear.py --data ../shared/data/polnear --cache /tmp/claims_polnear_train.jsonl

Gold status of a sentence, from the first annotator's file: "attributed" when gold Content spans cover
half of its letters and digits or more, or when it holds a gold cue and gold sources, cues and contents
together cover 60% of it or more (the cue and source of a quotation in the next sentence, "X said Y"
with a long source); otherwise the author's. Predicted: spinlens's claim status, "attributed" against
asserted / hedged / boosted / question; sentences predicted "none" (titles, bylines, fragments) are
left out of the scores and counted apart. Prints precision, recall and F1 of "attributed".
PolNeAR annotates more than speech and thought (attitudes and acts: "wants", "supports", "criticized",
"declined", "seemed"), which the claims guidelines (benchmarks/data/claims_guidelines.md) leave to the
author; `--reporting-only` keeps the gold attributions whose cue holds a reporting word of
spinlens.attribution.metadiscourse, to score the rest of the rules (coverage, relative clauses, cue
sentences) apart from that choice of words.

The analyses (sentences and attributions, which the tagger gives) are computed once and kept in
`--cache` (JSON lines); the claims are computed again from them on every run, so the claim rules can be
changed and scored in seconds. `--show N` prints N wrong sentences of each kind with the attributions
that reach them.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import replace
from pathlib import Path

from spinlens.attribution.claims import CUE_WORDS, REPORTING_WORDS, sentence_claims
from spinlens.formats.brat import BratDocument, gold_file, read_brat, read_text
from spinlens.pipeline import Analyzer
from spinlens.types import Analysis, Article


def analyses(folder: Path, names: list[str], cache: Path | None) -> dict[str, Analysis]:
    """{name: analysis} of the texts, read from the cache where it has them, the rest computed (and added)."""
    found: dict[str, Analysis] = {}
    if cache is not None and cache.exists():
        for line in cache.open(encoding="utf-8"):
            data = json.loads(line)
            if data["name"] in names:
                found[data.pop("name")] = Analysis.from_dict(data)
    missing = [name for name in names if name not in found]
    if missing:
        analyzer = Analyzer(attribution=True)
        texts = [Article(read_text(folder / "text" / f"{name}.txt")) for name in missing]
        with cache.open("a", encoding="utf-8") if cache is not None else open("/dev/null", "w") as out:
            for name, analysis in zip(missing, analyzer.analyze_many(texts)):
                found[name] = analysis
                out.write(json.dumps({"name": name, **analysis.to_dict()}, ensure_ascii=False) + "\n")
    return found


def covered(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> float:
    """The share of the letters and digits of text[start:end] that lie in the spans."""
    inside = [False] * (end - start)
    for a, b in spans:
        for i in range(max(a, start), min(b, end)):
            inside[i - start] = True
    letters = [i for i in range(start, end) if text[i].isalnum()]
    return sum(inside[i - start] for i in letters) / len(letters) if letters else 0.0


def gold_roles(document: BratDocument, reporting_only: bool) -> dict[str, list[tuple[int, int]]]:
    """The pieces of the gold sources, cues and contents; with reporting_only, of the attributions whose cue
    holds a reporting word of spinlens's list only (the attitudes and acts PolNeAR annotates too, "wants",
    "criticized", "seemed", "declined", are left out)."""
    roles: dict[str, list[tuple[int, int]]] = {"Source": [], "Cue": [], "Content": []}
    for event in document.events:
        cues = [document.spans[ref] for ref in event.of("Cue") if ref in document.spans]
        if reporting_only and not any(w.lower() in REPORTING_WORDS for cue in cues for w in CUE_WORDS.findall(cue.text)):
            continue
        for role in roles:
            roles[role] += [piece for ref in event.of(role) if ref in document.spans for piece in document.spans[ref].pieces]
    return roles


def gold_status(text: str, start: int, end: int, roles: dict[str, list[tuple[int, int]]]) -> bool:
    if covered(text, start, end, roles["Content"]) >= 0.5:
        return True
    has_cue = any(a < end and start < b for a, b in roles["Cue"])
    return has_cue and covered(text, start, end, roles["Source"] + roles["Cue"] + roles["Content"]) >= 0.6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/polnear"))
    parser.add_argument("--split", default="train")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--limit", type=int, help="the first N texts only")
    parser.add_argument("--cached-only", action="store_true", help="only the texts the cache holds (analyse none)")
    parser.add_argument("--reporting-only", action="store_true", help="gold: only attributions whose cue reports (see gold_roles)")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    folder = args.data / args.split
    names = sorted(p.stem for p in (folder / "text").glob("*.txt") if gold_file(folder / "attributions", p.stem))[: args.limit]
    if args.cached_only and args.cache is not None and args.cache.exists():
        held = {json.loads(line)["name"] for line in args.cache.open(encoding="utf-8")}
        names = [name for name in names if name in held]
    found = analyses(folder, names, args.cache)
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "none": 0, "none_gold": 0}
    wrong: dict[str, list[str]] = {"fp": [], "fn": []}
    for name in names:
        analysis = found[name]
        text = analysis.text
        document = read_brat(gold_file(folder / "attributions", name))  # type: ignore[arg-type]
        roles = gold_roles(document, args.reporting_only)
        plain = tuple(replace(s, claim=None) for s in analysis.sentences)
        for sentence in sentence_claims(text, plain, analysis.attributions):
            assert sentence.claim is not None
            gold = gold_status(text, sentence.start, sentence.end, roles)
            if sentence.claim.status == "none":
                counts["none"] += 1
                counts["none_gold"] += gold
                continue
            predicted = sentence.claim.status == "attributed"
            key = ("tp" if gold else "fp") if predicted else ("fn" if gold else "tn")
            counts[key] += 1
            if key in wrong and args.show:
                reach = [f"    [{i}] cue={a.cue.text!r} src={[s.text for s in a.sources]} "
                         f"content={[c.text[:60] for c in a.contents]} score={a.score}"
                         for i, a in enumerate(analysis.attributions)
                         if any(p.start < sentence.end and sentence.start < p.end for p in (a.cue, *a.sources, *a.contents))]
                wrong[key].append("\n".join([f"  {name}: {text[sentence.start:sentence.end][:300]!r} -> {sentence.claim.status}", *reach]))
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print(f"{len(names)} texts, {sum(counts.values()) - counts['none_gold']} sentences; {counts['none']} predicted none "
          f"({counts['none_gold']} of them gold attributed), left out")
    print(f"attributed: gold {tp + fn}, predicted {tp + fp}, right {tp}: precision {p:.3f}, recall {r:.3f}, "
          f"F1 {2 * p * r / (p + r) if p + r else 0:.3f}; the author's: {counts['tn']} right, accuracy "
          f"{(tp + counts['tn']) / max(tp + fp + fn + counts['tn'], 1):.3f}")
    rng = random.Random(0)
    for key, label in (("fp", "predicted attributed, gold the author's"), ("fn", "gold attributed, predicted the author's")):
        if args.show:
            print(f"\n## {label} ({len(wrong[key])})")
            for line in rng.sample(wrong[key], min(args.show, len(wrong[key]))):
                print(line)


if __name__ == "__main__":
    main()
