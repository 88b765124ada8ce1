"""Sentence claims against 200 sentences judged blind (benchmarks/data/claims_blind2_*.jsonl; with
--sample 1 the first set, claims_blind_*.jsonl, which was studied while the rules were written; with
--sample 3 the third set, claims_blind3_*.jsonl, drawn and judged after the first two had been studied; with
--sample 4 the fourth, claims_blind4_*.jsonl, drawn and judged after the third had been studied; with
--sample 5 the fifth, claims_blind5_*.jsonl, drawn and judged after the fourth had been studied; with
--sample 6 the sixth, claims_blind6_*.jsonl, drawn and judged after the fifth had been studied; with
--sample 7 the seventh, claims_blind7_*.jsonl, PolNeAR only, drawn and judged after the sixth had been studied;
with --sample 8 the eighth, claims_blind8_*.jsonl, likewise after the seventh; with --sample 9 the ninth,
claims_blind9_*.jsonl, 164 sentences from the last PolNeAR train files, after the eighth; with --sample 10
the tenth, claims_blind10_*.jsonl, 300 sentences of no earlier sample from PTC train and PolNeAR train and dev:
200 drawn uniformly and 100 among those with a predicted marker (benchmarks/claims_sample_unseen.py), so its
status figures and marker recall come from the 200 alone and its marker precision from all 300; --sample 11
the eleventh, drawn the same way from the sentences of no sample up to the tenth; --sample 12 the twelfth, from
the sentences of no sample up to the eleventh, drawn after the rules of 92d4490; --sample 13 the thirteenth,
from the sentences of no sample up to the twelfth, drawn after the rules of ab94a22; --sample 14 the
fourteenth, drawn the same way from those of no sample up to the thirteenth, with the same rules).

    python benchmarks/claims_blind.py --data ../shared/data [--sample {1,2,3,4,5,6,7,8,9,10,11,12,13,14}]

Each judged sentence's article is analysed whole (a claim depends on the article's attributions); the
sentence with the same offsets gives the predicted status and markers. Prints status accuracy (all, and
without the items the judge marked unsure), precision and recall per status, and marker precision and
recall per kind (a predicted marker is right when it overlaps a judged marker of the same kind), and how
many predicted markers were right for the modal verbs and for every other expression. --attribution-model
scores another tagger's attributions.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from spinlens.formats.brat import read_text
from spinlens.formats.ptc import read_article
from spinlens.pipeline import Analyzer
from spinlens.types import CLAIM_STATUSES, MARKER_KINDS, Article

HERE = Path(__file__).parent / "data"
MODALS = ("could", "may", "might")  # the modal verbs, counted apart in the marker figures
# "could" and "might" before "be", "have" or "been" (epistemic by the textbook), counted apart from the others
EPISTEMIC_NEXT = re.compile(r"\s+(?:(?:not|n't|also|well|even|still|easily)\s+)?(?:be|have|been)\b", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sample", choices=[str(n) for n in range(1, 15)], default="2",
                        help="2: the second sample (PolNeAR dev, judged before any output; the figure to quote); "
                             "1: the first (PolNeAR train, studied while writing the rules); "
                             "3: the third (PolNeAR train files not in the first sample, PTC ids = 2 mod 4); "
                             "4: the fourth (PolNeAR train and odd PTC ids, files of no earlier sample); "
                             "5: the fifth (drawn as the fourth, files of none of the first four); "
                             "6: the sixth (PolNeAR train and PTC, files of none of the first five); "
                             "7: the seventh (PolNeAR train, files of none of the first six); "
                             "8: the eighth (PolNeAR train, files of none of the first seven); "
                             "9: the ninth (the last 82 PolNeAR train files, 164 sentences); "
                             "10: the tenth (sentences of no earlier sample; 200 uniform, 100 with a predicted marker); "
                             "11: the eleventh (drawn as the tenth, from sentences of none of the first ten); "
                             "12: the twelfth (drawn as the tenth, from sentences of none of the first eleven); "
                             "13: the thirteenth (drawn as the tenth, from sentences of none of the first twelve); "
                             "14: the fourteenth (drawn as the tenth, from sentences of none of the first thirteen)")
    parser.add_argument("--attribution-model", type=Path, default=None, help="a tagger folder other than the shipped one")
    args = parser.parse_args()
    n = int(args.sample)
    stem = "claims_blind" if n == 1 else f"claims_blind{n}"
    # the second is PolNeAR dev's, the first nine PolNeAR train's; from the tenth on the files name their split
    polnear = "polnear/dev/text" if n == 2 else "polnear/train/text" if n < 10 else "polnear"
    sentences = [json.loads(line) for line in (HERE / f"{stem}_sentences.jsonl").open(encoding="utf-8")]
    judged = {j["id"]: j for j in map(json.loads, (HERE / f"{stem}_judgments.jsonl").open(encoding="utf-8"))}
    files = sorted({(s["corpus"], s["file"]) for s in sentences})
    texts = {}
    for corpus, name in files:
        path = args.data / ("ptc/train-articles" if corpus == "ptc" else polnear) / name
        texts[(corpus, name)] = read_article(path) if corpus == "ptc" else read_text(path)
    analyzer = Analyzer() if args.attribution_model is None else Analyzer(attribution_dir=args.attribution_model)
    analyses = dict(zip(files, analyzer.analyze_many([Article(texts[f]) for f in files])))
    by_expression: Counter[tuple[str, bool]] = Counter()  # (a modal verb's first word, or "other"; right)
    could_might: Counter[tuple[bool, bool]] = Counter()  # ("be"/"have" after it; right)
    pairs, unsure = [], set()
    marker_counts: Counter[tuple[str, str]] = Counter()
    parts = HERE / f"{stem}_parts.json"  # the tenth: only its uniform part measures status and recall
    uniform = set(json.loads(parts.read_text(encoding="utf-8"))["uniform"]) if parts.is_file() else {s["id"] for s in sentences}
    for s in sentences:
        analysis = analyses[(s["corpus"], s["file"])]
        found = [x for x in analysis.sentences if x.start == s["start"] and x.end == s["end"]]
        if not found or found[0].claim is None:
            raise SystemExit(f"{s['id']}: no sentence {s['start']}-{s['end']} in the analysis")
        claim, gold = found[0].claim, judged[s["id"]]
        if s["id"] in uniform:
            pairs.append((gold["status"], claim.status))
            if gold.get("unsure"):
                unsure.add(len(pairs) - 1)
        for kind in MARKER_KINDS:
            predicted = [m for m in claim.markers if m.kind == kind]
            expected = [m for m in gold["markers"] if m["kind"] == kind]
            marker_counts[(kind, "predicted")] += len(predicted)
            marker_counts[(kind, "right")] += sum(any(m.start < g["end"] and g["start"] < m.end for g in expected) for m in predicted)
            for m in predicted:
                first = m.text.split()[0].lower()
                right = any(m.start < g["end"] and g["start"] < m.end for g in expected)
                by_expression[(first if first in MODALS else "other", right)] += 1
                if first in ("could", "might"):
                    could_might[(bool(EPISTEMIC_NEXT.match(texts[(s["corpus"], s["file"])], m.end)), right)] += 1
            if s["id"] in uniform:
                marker_counts[(kind, "gold")] += len(expected)
                marker_counts[(kind, "found")] += sum(any(m.start < g["end"] and g["start"] < m.end for m in predicted) for g in expected)
    if len(uniform) < len(sentences):
        print(f"status and recall: the {len(uniform)} sentences drawn uniformly; marker precision: all {len(sentences)}\n")
    right = sum(g == p for g, p in pairs)
    sure = [(g, p) for i, (g, p) in enumerate(pairs) if i not in unsure]
    print(f"status accuracy: {right}/{len(pairs)} = {right / len(pairs):.3f}; without the {len(unsure)} unsure: "
          f"{sum(g == p for g, p in sure)}/{len(sure)} = {sum(g == p for g, p in sure) / len(sure):.3f}\n")
    print("| status | judged | predicted | precision | recall |\n|---|---|---|---|---|")
    for status in CLAIM_STATUSES:
        gold_n = sum(g == status for g, _ in pairs)
        pred_n = sum(p == status for _, p in pairs)
        hit = sum(g == p == status for g, p in pairs)
        print(f"| {status} | {gold_n} | {pred_n} | {hit / pred_n if pred_n else float('nan'):.3f} | {hit / gold_n if gold_n else float('nan'):.3f} |")
    print("\n| marker kind | judged | predicted | precision | recall |\n|---|---|---|---|---|")
    for kind in MARKER_KINDS:
        c = {k: marker_counts[(kind, k)] for k in ("predicted", "right", "gold", "found")}
        print(f"| {kind} | {c['gold']} | {c['predicted']} | {c['right'] / c['predicted'] if c['predicted'] else float('nan'):.3f} | "
              f"{c['found'] / c['gold'] if c['gold'] else float('nan'):.3f} |")
    total_p = sum(marker_counts[(k, "predicted")] for k in MARKER_KINDS)
    total_r = sum(marker_counts[(k, "right")] for k in MARKER_KINDS)
    print(f"| all | {sum(marker_counts[(k, 'gold')] for k in MARKER_KINDS)} | {total_p} | {total_r / total_p if total_p else float('nan'):.3f} | "
          f"{sum(marker_counts[(k, 'found')] for k in MARKER_KINDS) / max(1, sum(marker_counts[(k, 'gold')] for k in MARKER_KINDS)):.3f} |")
    print("\npredicted markers a reader also marked, by expression: " + ", ".join(
        f"{e} {by_expression[(e, True)]}/{by_expression[(e, True)] + by_expression[(e, False)]}" for e in (*MODALS, "other")))
    print("\n\"could\" and \"might\" a reader also marked: before \"be\"/\"have\" " + ", otherwise ".join(
        f"{could_might[(epistemic, True)]}/{could_might[(epistemic, True)] + could_might[(epistemic, False)]}" for epistemic in (True, False)))
    print("\nconfusions (judged -> predicted): " + ", ".join(f"{g}->{p} {n}" for (g, p), n in Counter(pairs).most_common() if g != p))


if __name__ == "__main__":
    main()
