"""Draw the blind sample of sentences for the claims benchmark (issue 18, "Claims, sentence by sentence").

    cd /work/main && python benchmarks/claims_sample.py

Draws, with a fixed seed, 100 sentences from the PolNeAR train texts and 100 from the PTC train articles:
sentences as spinlens.sentences.split_sentences gives them (empty ones skipped), drawn uniformly over all
the sentences of a corpus, at most 2 from one file. Writes benchmarks/data/claims_blind_sentences.jsonl,
one JSON object a line: id, corpus, file, start, end (code-point offsets into the file's text as
spinlens.formats.brat.read_text / spinlens.formats.ptc.read_article return it), text, and the text of the
sentences before and after it ("" at the start or end of the file).

Nothing here analyses the text: it is only read and split, so the sample (and the hand judgments in
claims_blind_judgments.jsonl, see claims_guidelines.md) stays blind to spinlens's output.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

from spinlens.formats.brat import read_text
from spinlens.formats.ptc import read_article
from spinlens.sentences import split_sentences

SEED = 20261204
PER_CORPUS = 100
PER_FILE = 2
HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "data"
CORPORA = {  # name: (folder of texts, reader)
    "polnear": (SHARED / "polnear" / "train" / "text", read_text),
    "ptc": (SHARED / "ptc" / "train-articles", read_article),
}
OUT = HERE / "data" / "claims_blind_sentences.jsonl"


def draw(name: str, folder: Path, reader, rng: random.Random) -> list[dict]:
    texts: dict[str, str] = {}
    candidates: list[tuple[str, int]] = []  # (file, index of the sentence in that file)
    spans: dict[str, list[tuple[int, int]]] = {}
    for path in sorted(folder.glob("*.txt")):
        text = reader(path)
        texts[path.name] = text
        spans[path.name] = [(s, e) for s, e in split_sentences(text) if text[s:e].strip()]
        candidates.extend((path.name, i) for i in range(len(spans[path.name])))
    rng.shuffle(candidates)
    taken: list[tuple[str, int]] = []
    per_file: Counter[str] = Counter()
    for file, i in candidates:
        if per_file[file] >= PER_FILE:
            continue
        per_file[file] += 1
        taken.append((file, i))
        if len(taken) == PER_CORPUS:
            break
    rows = []
    for n, (file, i) in enumerate(sorted(taken), 1):
        text, sentence_spans = texts[file], spans[file]
        start, end = sentence_spans[i]
        before = text[slice(*sentence_spans[i - 1])] if i > 0 else ""
        after = text[slice(*sentence_spans[i + 1])] if i + 1 < len(sentence_spans) else ""
        rows.append({"id": f"{name}-{n:03d}", "corpus": name, "file": file, "start": start, "end": end,
                     "text": text[start:end], "before": before, "after": after})
    return rows


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    for name, (folder, reader) in CORPORA.items():
        rows.extend(draw(name, folder, reader, rng))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences -> {OUT}")


if __name__ == "__main__":
    main()
