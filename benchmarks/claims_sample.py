"""Draw the blind sample of sentences for the claims benchmark (issue 18, "Claims, sentence by sentence").

    cd /work/main && python benchmarks/claims_sample.py            # the first sample
    cd /work/main && python benchmarks/claims_sample.py --second   # the second, fresh sample
    cd /work/main && python benchmarks/claims_sample.py --third    # the third, fresh sample
    cd /work/main && python benchmarks/claims_sample.py --fourth   # the fourth, fresh sample
    cd /work/main && python benchmarks/claims_sample.py --fifth    # the fifth, fresh sample
    cd /work/main && python benchmarks/claims_sample.py --sixth    # the sixth, fresh sample
    cd /work/main && python benchmarks/claims_sample.py --seventh  # the seventh, fresh sample (PolNeAR only)
    cd /work/main && python benchmarks/claims_sample.py --eighth   # the eighth, fresh sample (PolNeAR only)
    cd /work/main && python benchmarks/claims_sample.py --ninth    # the ninth: what is left of PolNeAR train

Draws, with a fixed seed, 100 sentences from the PolNeAR train texts and 100 from the PTC train articles:
sentences as spinlens.sentences.split_sentences gives them (empty ones skipped), drawn uniformly over all
the sentences of a corpus, at most 2 from one file. Writes benchmarks/data/claims_blind_sentences.jsonl,
one JSON object a line: id, corpus, file, start, end (code-point offsets into the file's text as
spinlens.formats.brat.read_text / spinlens.formats.ptc.read_article return it), text, and the text of the
sentences before and after it ("" at the start or end of the file).

`--second` draws the second sample (2026-12-05) the same way, with seed 20261205: 100 sentences from the
PolNeAR *dev* texts and 100 from the PTC train articles whose numeric article id is divisible by 4 and
that had no sentence in the first sample (the first sample is recomputed, not read back). Its ids are
"blind2-polnear-NNN" / "blind2-ptc-NNN"; it is written to benchmarks/data/claims_blind2_sentences.jsonl
(judged in claims_blind2_judgments.jsonl).

`--third` draws the third sample (2026-12-05) the same way, with seed 20261206: 100 sentences from the
PolNeAR *train* texts that had no sentence in the first sample and 100 from the PTC train articles whose
numeric article id is congruent to 2 modulo 4 and that had no sentence in the first sample (again the first
sample is recomputed). Its ids are "blind3-polnear-NNN" / "blind3-ptc-NNN"; it is written to
benchmarks/data/claims_blind3_sentences.jsonl (judged in claims_blind3_judgments.jsonl).

`--fourth` draws the fourth sample (2026-12-05) the same way, with seed 20261208: 100 sentences from the
PolNeAR *train* texts and 100 from the PTC train articles with an odd numeric id, both without the files that
had a sentence in any of the first three samples (read back from their committed sentence files). Its ids are
"blind4-polnear-NNN" / "blind4-ptc-NNN"; it is written to benchmarks/data/claims_blind4_sentences.jsonl
(judged in claims_blind4_judgments.jsonl).

`--fifth` draws the fifth sample (2026-12-05) as the fourth, with seed 20261209 and without the files of the
first four samples: ids "blind5-*", written to benchmarks/data/claims_blind5_sentences.jsonl (judged in
claims_blind5_judgments.jsonl). `--sixth` likewise, from all PTC ids (too few odd ones are left) and 124 PolNeAR sentences (the PTC articles of
no earlier sample give only 76): seed 20261210,
without the files of the first five, ids
"blind6-*", claims_blind6_sentences.jsonl. `--seventh` likewise, with seed 20261211 and without the files of the
first six: 200 PolNeAR train sentences (no PTC article of no earlier sample is left), ids "blind7-*",
claims_blind7_sentences.jsonl. `--eighth` likewise, with seed 20261212 and without the files of the first
seven: ids "blind8-*", claims_blind8_sentences.jsonl. `--ninth` likewise, with seed 20261213 and without the
files of the first eight: only 82 PolNeAR train files are left, so at most 2 sentences from each (ids
"blind9-*", claims_blind9_sentences.jsonl).

The pieces can also be set one by one: `--seed`, `--out`, `--polnear-split {train,dev}`, `--ptc-filter
{none,div4,mod4eq2,odd}` (keep ids divisible by 4 / congruent to 2 modulo 4 / odd), `--exclude-first` (leave out the
files of the first sample) and `--id-prefix`; `--second` and `--third` only change their defaults.

Nothing here analyses the text: it is only read and split, so the samples (and the hand judgments, see
claims_guidelines.md) stay blind to spinlens's output.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

from spinlens.formats.brat import read_text
from spinlens.formats.ptc import read_article
from spinlens.sentences import split_sentences

SEED = 20261204
SEED_SECOND = 20261205
SEED_THIRD = 20261206
SEED_FOURTH = 20261208
SEED_FIFTH = 20261209
SEED_SIXTH = 20261210
SEED_SEVENTH = 20261211
SEED_EIGHTH = 20261212
SEED_NINTH = 20261213
PER_CORPUS = 100
SIXTH_POLNEAR = 124  # the sixth sample: the PTC articles of no earlier sample give 76 sentences, so 124 PolNeAR make 200
SEVENTH_POLNEAR = 200  # the seventh sample: no PTC article of no earlier sample is left, so all 200 are PolNeAR
PER_FILE = 2
HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "data"
CORPORA = {  # name: (folder of texts, reader)
    "polnear": (SHARED / "polnear" / "train" / "text", read_text),
    "ptc": (SHARED / "ptc" / "train-articles", read_article),
}
OUT = HERE / "data" / "claims_blind_sentences.jsonl"
OUT_SECOND = HERE / "data" / "claims_blind2_sentences.jsonl"
OUT_THIRD = HERE / "data" / "claims_blind3_sentences.jsonl"
OUT_FOURTH = HERE / "data" / "claims_blind4_sentences.jsonl"
OUT_FIFTH = HERE / "data" / "claims_blind5_sentences.jsonl"
OUT_SIXTH = HERE / "data" / "claims_blind6_sentences.jsonl"
OUT_SEVENTH = HERE / "data" / "claims_blind7_sentences.jsonl"
OUT_EIGHTH = HERE / "data" / "claims_blind8_sentences.jsonl"
OUT_NINTH = HERE / "data" / "claims_blind9_sentences.jsonl"


def ptc_id_mod4(name: str, remainder: int) -> bool:
    """True for a PTC file "article<digits>.txt" whose numeric id is congruent to remainder modulo 4."""
    match = re.fullmatch(r"article(\d+)\.txt", name)
    return bool(match) and int(match.group(1)) % 4 == remainder


def ptc_id_divisible_by_4(name: str) -> bool:
    """True for a PTC file "article<digits>.txt" whose numeric id is divisible by 4."""
    return ptc_id_mod4(name, 0)


def ptc_id_mod4_eq_2(name: str) -> bool:
    """True for a PTC file "article<digits>.txt" whose numeric id is congruent to 2 modulo 4."""
    return ptc_id_mod4(name, 2)


def ptc_id_odd(name: str) -> bool:
    """True for a PTC file "article<digits>.txt" whose numeric id is odd."""
    return ptc_id_mod4(name, 1) or ptc_id_mod4(name, 3)


PTC_FILTERS = {"none": None, "div4": ptc_id_divisible_by_4, "mod4eq2": ptc_id_mod4_eq_2, "odd": ptc_id_odd}


def draw(name: str, folder: Path, reader, rng: random.Random, keep=None, prefix: str = "", count: int = PER_CORPUS) -> list[dict]:
    """Draw `count` sentences from the *.txt files in folder (only files whose name passes keep), or all
    there are at PER_FILE a file."""
    texts: dict[str, str] = {}
    candidates: list[tuple[str, int]] = []  # (file, index of the sentence in that file)
    spans: dict[str, list[tuple[int, int]]] = {}
    for path in sorted(folder.glob("*.txt")):
        if keep is not None and not keep(path.name):
            continue
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
        if len(taken) == count:
            break
    rows = []
    for n, (file, i) in enumerate(sorted(taken), 1):
        text, sentence_spans = texts[file], spans[file]
        start, end = sentence_spans[i]
        before = text[slice(*sentence_spans[i - 1])] if i > 0 else ""
        after = text[slice(*sentence_spans[i + 1])] if i + 1 < len(sentence_spans) else ""
        rows.append({"id": f"{prefix}{name}-{n:03d}", "corpus": name, "file": file, "start": start, "end": end,
                     "text": text[start:end], "before": before, "after": after})
    return rows


def first_sample() -> list[dict]:
    """The first sample exactly as the default run draws it."""
    rng = random.Random(SEED)
    rows = []
    for name, (folder, reader) in CORPORA.items():
        rows.extend(draw(name, folder, reader, rng))
    return rows


# The later samples: seed, out, PolNeAR split, PTC filter, leave out the first sample's files, id prefix, the
# samples whose files are left out, and how many PolNeAR sentences.
LATER_SAMPLES = {
    "second": (SEED_SECOND, OUT_SECOND, "dev", "div4", True, "blind2-", (OUT,), PER_CORPUS),
    "third": (SEED_THIRD, OUT_THIRD, "train", "mod4eq2", True, "blind3-", (OUT,), PER_CORPUS),
    "fourth": (SEED_FOURTH, OUT_FOURTH, "train", "odd", True, "blind4-", (OUT, OUT_SECOND, OUT_THIRD), PER_CORPUS),
    "fifth": (SEED_FIFTH, OUT_FIFTH, "train", "odd", True, "blind5-", (OUT, OUT_SECOND, OUT_THIRD, OUT_FOURTH), PER_CORPUS),
    "sixth": (SEED_SIXTH, OUT_SIXTH, "train", "none", True, "blind6-", (OUT, OUT_SECOND, OUT_THIRD, OUT_FOURTH, OUT_FIFTH),
              SIXTH_POLNEAR),
    "seventh": (SEED_SEVENTH, OUT_SEVENTH, "train", "none", True, "blind7-", (OUT, OUT_SECOND, OUT_THIRD, OUT_FOURTH, OUT_FIFTH, OUT_SIXTH),
                SEVENTH_POLNEAR),
    "eighth": (SEED_EIGHTH, OUT_EIGHTH, "train", "none", True, "blind8-",
               (OUT, OUT_SECOND, OUT_THIRD, OUT_FOURTH, OUT_FIFTH, OUT_SIXTH, OUT_SEVENTH), SEVENTH_POLNEAR),
    "ninth": (SEED_NINTH, OUT_NINTH, "train", "none", True, "blind9-",
              (OUT, OUT_SECOND, OUT_THIRD, OUT_FOURTH, OUT_FIFTH, OUT_SIXTH, OUT_SEVENTH, OUT_EIGHTH), SEVENTH_POLNEAR),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for flag, (sample_seed, sample_out, sample_split, sample_filter, _, sample_prefix, earlier, _) in LATER_SAMPLES.items():
        parser.add_argument(f"--{flag}", action="store_const", const=flag, dest="sample",
                            help=f"the {flag} sample: seed {sample_seed}, PolNeAR {sample_split}, PTC ids {sample_filter}, "
                                 f"without the files of the first sample{'s' if len(earlier) > 1 else ''}"
                                 f"{f' (the first {len(earlier)})' if len(earlier) > 1 else ''}; ids {sample_prefix}*, out {sample_out.name}")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--polnear-split", choices=["train", "dev"], default=None)
    parser.add_argument("--ptc-filter", choices=sorted(PTC_FILTERS), default=None,
                        help="none: all PTC articles; div4: ids divisible by 4; mod4eq2: ids congruent to 2 mod 4; odd: odd ids")
    parser.add_argument("--exclude-first", action="store_true", default=None,
                        help="leave out the files that had a sentence in the first sample")
    parser.add_argument("--id-prefix", default=None)
    args = parser.parse_args(argv)

    defaults = LATER_SAMPLES[args.sample] if args.sample else (SEED, OUT, "train", "none", False, "", (), PER_CORPUS)
    seed = args.seed if args.seed is not None else defaults[0]
    out_path = args.out if args.out is not None else defaults[1]
    split = args.polnear_split or defaults[2]
    ptc_filter = args.ptc_filter or defaults[3]
    exclude_first = args.exclude_first if args.exclude_first is not None else defaults[4]
    prefix = args.id_prefix if args.id_prefix is not None else defaults[5]

    excluded: dict[str, set[str]] = {"polnear": set(), "ptc": set()}
    if exclude_first:
        for row in first_sample():
            excluded[row["corpus"]].add(row["file"])
    for path in defaults[6][1:]:  # the first is recomputed above; later ones are read back as committed
        for row in map(json.loads, path.open(encoding="utf-8")):
            excluded[row["corpus"]].add(row["file"])

    corpora = {
        "polnear": (SHARED / "polnear" / split / "text", read_text, None),
        "ptc": (SHARED / "ptc" / "train-articles", read_article, PTC_FILTERS[ptc_filter]),
    }
    rng = random.Random(seed)
    rows = []
    for name, (folder, reader, keep_filter) in corpora.items():
        def keep(file: str, _name=name, _filter=keep_filter) -> bool:
            return file not in excluded[_name] and (_filter is None or _filter(file))
        count = defaults[7] if name == "polnear" else PER_CORPUS
        rows.extend(draw(name, folder, reader, rng, keep=keep, prefix=prefix, count=count))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences -> {out_path}")


if __name__ == "__main__":
    main()
