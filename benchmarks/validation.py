"""Validation figures of the technique model on its held-out split of PTC train, with baselines.

    python benchmarks/validation.py --data ../shared/data/ptc [--model DIR]

The validation article ids are read from the model card, so the figures are on articles the model
never trained on. A model trained on every article (`--final-from`) has none: pass the folder of the
run with a validation split that its recipe came from. Prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from spinlens.evaluate.ptc import flc_score, si_score, tc_score
from spinlens.formats.ptc import LabelledSpan, read_articles, read_labels
from spinlens.loaders import technique_model
from spinlens.models import TECHNIQUES as SHIPPED
from spinlens.techniques.inference import label_fragments, label_template
from spinlens.training.tuning import evaluate_outputs, expected_calibration_error, fragment_truth, si_grid


def every_line(articles: dict[str, str]) -> list[tuple[str, int, int]]:
    """The every-sentence baseline: each non-empty line of a PTC article (one sentence a line) is a span."""
    spans = []
    for a, text in articles.items():
        position = 0
        for line in text.split("\n"):
            if line.strip():
                spans.append((a, position, position + len(line)))
            position += len(line) + 1
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--model", type=Path, default=SHIPPED)
    args = parser.parse_args()

    model = technique_model(args.model)
    val_ids = model.card["data"]["validation_ids"]
    if not val_ids:
        raise SystemExit(
            f"{args.model} was trained on every PTC train article, so no article is unseen by it; its recipe's "
            "validation figures are in its card under 'recipe'. Re-measure them on the recipe's own model: "
            "spinlens train techniques --data DATA --out DIR --epochs 8, then --model DIR."
        )
    articles = {a: t for a, t in read_articles(args.data / "train-articles").items() if a in set(val_ids)}
    labels = read_labels(args.data / "train-labels-task2-technique-classification")
    gold = [s for s in labels if s.article_id in articles]
    train_gold = [s for s in labels if s.article_id not in articles]
    majority = Counter(s.technique for s in train_gold).most_common(1)[0][0]

    outputs = dict(zip(articles, model.run(list(articles.values()))))
    fragments = {a: model.fragments(o) for a, o in outputs.items()}
    flc_lines = [line for a, fs in fragments.items() for line in label_fragments(a, fs, model.second_label)]
    si = si_score([LabelledSpan(a, s, e) for a, o in outputs.items() for s, e, _ in model.si_spans(o)], gold)
    template = [replace(s, technique=None) for s in gold]
    tc, tc_per = tc_score(label_template(outputs, template, model.feature_weights), gold)
    flc = flc_score(flc_lines, gold)

    lines = every_line(articles)
    si_base = si_score([LabelledSpan(a, s, e) for a, s, e in lines], gold)
    flc_base = flc_score([LabelledSpan(a, s, e, majority) for a, s, e in lines], gold)
    tc_base, _ = tc_score([replace(s, technique=majority) for s in template], gold)

    pairs = [(a, f) for a, fs in fragments.items() for f in fs]
    ece = expected_calibration_error(np.array([f.score for _, f in pairs]), fragment_truth(pairs, gold))

    print(f"Validation split: {len(articles)} of PTC train's articles (ids in the model card), {len(gold)} gold fragments.\n")
    print("| task | spinlens | every-sentence / majority baseline |")
    print("|---|---|---|")
    print(f"| SI P / R / F1 | {si.precision:.4f} / {si.recall:.4f} / **{si.f1:.4f}** | every line: {si_base.precision:.4f} / {si_base.recall:.4f} / {si_base.f1:.4f} |")
    print(f"| TC micro-F1 | **{tc:.4f}** | majority ({majority}): {tc_base:.4f} |")
    print(f"| FLC P / R / F1 | {flc.overall.precision:.4f} / {flc.overall.recall:.4f} / **{flc.overall.f1:.4f}** | every line, majority label: {flc_base.overall.f1:.4f} |")
    card = model.card.get("validation", {})
    # Cross-fitted on this code (not read from the card, which holds the figure of its tuning time).
    crossfit = evaluate_outputs(outputs, gold, model.feature_weights, si_grid())["si_crossfit"]
    print(f"\nThe SI decode settings (threshold, merge gap, minimum length, smoothing) were chosen on these articles, which "
          f"flatters SI; cross-fitted (chosen from the tuning grid on a random half, scored on the other; mean of 50 halvings) "
          f"SI F1 is {crossfit:.4f}.")
    print(f"\nFragment-score calibration (10 bins; truth = share of the fragment's characters inside gold fragments), "
          f"{len(pairs)} predicted fragments: ECE {ece:.4f} in-sample (the shipped calibration was fitted on these articles); "
          f"cross-fitted at training time (fit on half the validation articles, measured on the other half): "
          f"fragments {card.get('ece_fragment_calibrated_crossfit', float('nan')):.4f} (uncalibrated {card.get('ece_fragment_raw', float('nan')):.4f}), "
          f"sentences {card.get('ece_sentence_calibrated_crossfit', float('nan')):.4f} (uncalibrated {card.get('ece_sentence_raw', float('nan')):.4f}).\n")
    print("| technique | gold spans | TC F1 | FLC F1 |")
    print("|---|---|---|---|")
    for technique, r in sorted(tc_per.items(), key=lambda kv: -kv[1].gold):
        flc_f1 = flc.per_technique[technique].f1 if technique in flc.per_technique else 0.0
        print(f"| {technique} | {r.gold} | {r.f1:.3f} | {flc_f1:.3f} |")


if __name__ == "__main__":
    main()
