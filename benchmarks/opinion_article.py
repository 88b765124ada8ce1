"""How many of the 13 clear attributions of a hand-annotated opinion article are found with the right
source and cue.

    python benchmarks/opinion_article.py

benchmarks/data/opinion.txt is an opinion piece written for this benchmark (not from any corpus);
opinion.gold.tsv lists its 13 clear attributions as (source, cue) fragments. An attribution counts
as found when a predicted cue overlaps the gold cue and a predicted source, or its resolved speaker,
overlaps the gold source.
"""

from __future__ import annotations

from pathlib import Path

from spinlens import Analyzer, Article

DATA = Path(__file__).parent / "data"


def occurrences(text: str, fragment: str) -> list[tuple[int, int]]:
    out, start = [], text.find(fragment)
    while start != -1:
        out.append((start, start + len(fragment)))
        start = text.find(fragment, start + 1)
    return out


def main() -> None:
    text = (DATA / "opinion.txt").read_text(encoding="utf-8")
    gold, position = [], 0
    for line in (DATA / "opinion.gold.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        source, cue = line.split("\t")
        # Sources are listed in reading order; each cue is the occurrence nearest its source.
        source_span = next(span for span in occurrences(text, source) if span[0] >= position)
        cue_span = min(occurrences(text, cue), key=lambda span: abs(span[0] - source_span[0]))
        gold.append((source, source_span, cue, cue_span))
        position = source_span[0] + 1
    analysis = Analyzer(attribution=True).analyze(Article(text))
    overlaps = lambda a, b: a[0] < b[1] and b[0] < a[1]
    found = 0
    for source, source_span, cue, cue_span in gold:
        hit = any(
            overlaps((a.cue.start, a.cue.end), cue_span)
            and any(overlaps((s.start, s.end), source_span) for s in (*a.sources, *( [a.speaker] if a.speaker else [])))
            for a in analysis.attributions
        )
        found += hit
        print(f"{'found' if hit else 'MISSED':6s}  {source} — {cue}")
    print(f"\n{found} of {len(gold)} clear attributions found with the right source and cue "
          f"({len(analysis.attributions)} attributions predicted).")


if __name__ == "__main__":
    main()
