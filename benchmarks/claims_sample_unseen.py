"""Draw the tenth to fourteenth claims samples (issue 18): unseen sentences, and enough predicted markers to
measure them.

    cd /work/main && python benchmarks/claims_sample_unseen.py --data ../shared/data [--sample 10|11|12|13|14]

Every text of PTC train and PolNeAR train has had sentences in one of the first nine samples, so no unseen
file is left. This sample draws unseen *sentences* instead: from PTC train and PolNeAR train and dev, every
sentence (as spinlens.sentences.split_sentences cuts it, empty ones skipped) that neither overlaps a
sentence of an earlier sample (1-9 for the tenth, 1-10 for the eleventh, 1-11 for the twelfth, 1-12 for the thirteenth, 1-13 for the fourteenth) nor is next to one (a sampled
sentence's neighbours were shown to its readers as context). Two parts, seed 20261214 (the tenth),
20261215 (the eleventh), 20261216 (the twelfth), 20261217 (the thirteenth) or 20261218
(the fourteenth), at most 2 sentences a file in each part:

- uniform: 100 PolNeAR (train and dev together) and 100 PTC sentences, drawn uniformly from those: the status
  accuracy and the marker recall are measured on these alone;
- markers: 100 more sentences drawn uniformly from the rest of them in which the shipped analysis (the
  commit named in the parts file) predicts a hedge or booster marker. With the uniform part's sentences
  that have one, they are a uniform draw of the sentences with a predicted marker, so marker precision is
  measured on all 300 (a uniform sample of 200 has about 25 markers, too few to tell 0.85 from 0.75).

The 300 are shuffled together and numbered blindN-001 … blindN-300, so a reader cannot tell the parts
apart, and written to benchmarks/data/claims_blindN_sentences.jsonl (id, corpus, file, start, end, text,
before, after, as the other samples; `file` is relative to ../shared/data/polnear for PolNeAR, e.g.
"dev/text/x.txt"). Which id is in which part goes to claims_blindN_parts.json, which the readers do not
see. The readers judge all 300 blind, from the text and claims_guidelines.md alone.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from collections import Counter
from pathlib import Path

from spinlens.formats.brat import read_text
from spinlens.formats.ptc import read_article
from spinlens.pipeline import Analyzer
from spinlens.sentences import split_sentences
from spinlens.types import Article

SEEDS = {10: 20261214, 11: 20261215, 12: 20261216, 13: 20261217, 14: 20261218}
PER_PART = 100  # sentences a corpus in the uniform part, and in all of the markers part
PER_FILE = 2
HERE = Path(__file__).parent


def earlier_spans(sample: int) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(corpus, file name) -> the spans of the sentences of the samples before `sample` in it."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for name in ["claims_blind_sentences.jsonl", *(f"claims_blind{n}_sentences.jsonl" for n in range(2, sample))]:
        for row in map(json.loads, (HERE / "data" / name).open(encoding="utf-8")):
            spans.setdefault((row["corpus"], Path(row["file"]).name), []).append((row["start"], row["end"]))
    return spans


Sentence = tuple[str, str, int, int, int]  # (corpus, file, index in the file's sentences, start, end)


def key(sentence: Sentence) -> tuple[str, str, int, int]:
    """(corpus, file, start, end): how an analysis's sentence is matched to a drawn one."""
    corpus, file, _, start, end = sentence
    return corpus, file, start, end


def fresh_sentences(data: Path, sample: int) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], list[tuple[int, int]]], list[Sentence]]:
    """The texts and their sentences' spans by (corpus, file), and every sentence unseen before `sample`."""
    seen = earlier_spans(sample)
    folders = [("polnear", data / "polnear", f"{split}/text", read_text) for split in ("train", "dev")]
    folders.append(("ptc", data / "ptc" / "train-articles", "", read_article))
    texts: dict[tuple[str, str], str] = {}
    sentences: dict[tuple[str, str], list[tuple[int, int]]] = {}
    fresh: list[Sentence] = []
    for corpus, root, sub, reader in folders:
        for path in sorted((root / sub).glob("*.txt") if sub else root.glob("*.txt")):
            file = f"{sub}/{path.name}" if sub else path.name
            text = reader(path)
            texts[(corpus, file)] = text
            spans = sentences[(corpus, file)] = [(s, e) for s, e in split_sentences(text) if text[s:e].strip()]
            taken = seen.get((corpus, path.name), [])
            hit = {i for i, (s, e) in enumerate(spans) for ts, te in taken if s < te and ts < e}
            near = {j for i in hit for j in (i - 1, i, i + 1)}
            fresh.extend((corpus, file, i, s, e) for i, (s, e) in enumerate(spans) if i not in near)
    return texts, sentences, fresh


def take(candidates: list, count: int, rng: random.Random) -> list:
    """`count` of the candidates drawn uniformly, at most PER_FILE from one file."""
    pool = list(candidates)
    rng.shuffle(pool)
    per_file: Counter[tuple[str, str]] = Counter()
    chosen = []
    for c in pool:
        if per_file[(c[0], c[1])] < PER_FILE:
            per_file[(c[0], c[1])] += 1
            chosen.append(c)
            if len(chosen) == count:
                break
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, choices=sorted(SEEDS), default=10)
    args = parser.parse_args()
    out = HERE / "data" / f"claims_blind{args.sample}_sentences.jsonl"
    parts_file = HERE / "data" / f"claims_blind{args.sample}_parts.json"
    texts, sentences, fresh = fresh_sentences(args.data, args.sample)
    rng = random.Random(SEEDS[args.sample])
    uniform = [*take([c for c in fresh if c[0] == "polnear"], PER_PART, rng),
               *take([c for c in fresh if c[0] == "ptc"], PER_PART, rng)]
    keys = sorted(texts)
    analyses = dict(zip(keys, Analyzer().analyze_many([Article(texts[k]) for k in keys])))
    with_marker = {(corpus, file, s.start, s.end) for (corpus, file), analysis in analyses.items()
                   for s in analysis.sentences if s.claim is not None and s.claim.markers}
    chosen = {key(c) for c in uniform}
    markers = take([c for c in fresh if key(c) in with_marker and key(c) not in chosen], PER_PART, rng)
    rows = [(c, "uniform") for c in uniform] + [(c, "markers") for c in markers]
    rng.shuffle(rows)
    parts: dict[str, list[str]] = {"uniform": [], "markers": []}
    with out.open("w", encoding="utf-8") as written:
        for n, ((corpus, file, i, start, end), part) in enumerate(rows, 1):
            text, spans = texts[(corpus, file)], sentences[(corpus, file)]
            row = {"id": f"blind{args.sample}-{n:03d}", "corpus": corpus, "file": file, "start": start, "end": end,
                   "text": text[start:end], "before": text[slice(*spans[i - 1])] if i > 0 else "",
                   "after": text[slice(*spans[i + 1])] if i + 1 < len(spans) else ""}
            written.write(json.dumps(row, ensure_ascii=False) + "\n")
            parts[part].append(row["id"])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout.strip()
    parts_file.write_text(json.dumps({"seed": SEEDS[args.sample], "commit": commit, "fresh_sentences": len(fresh),
                                 "with_predicted_marker": sum(key(c) in with_marker for c in fresh),
                                 **parts}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(fresh)} fresh sentences; {len(rows)} drawn -> {out} (parts: {parts_file})")


if __name__ == "__main__":
    main()
