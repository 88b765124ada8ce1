"""Where PolNeAR's annotators put sources and contents relative to their cue's line and sentence, and
whether the author's asides that the extractor drops ("Make no mistake:") are ever cues there.

    python benchmarks/polnear_layout.py --data ../shared/data/polnear

The evidence behind the grouping rules in spinlens/attribution/extractor.py (docs/benchmarks.md):
a source, or a content before its cue, joins only a cue on its own line and in its sentence; a content
after its cue in a later sentence starts that sentence; a sourceless cue that ends an aside is dropped. Every annotator's file counts (a few texts have two).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from spinlens.attribution.extractor import _AUTHOR_ASIDE, _OPENING
from spinlens.formats.brat import read_brat
from spinlens.formats.ptc import read_article
from spinlens.sentences import split_sentences
from spinlens.spans import quote_mask

# The extractor's pattern is anchored at a cue's end; here every occurrence in the text counts.
_ASIDE_ANYWHERE = re.compile(_AUTHOR_ASIDE.pattern.removesuffix(r"\W*$") + r"\b", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    root = args.data / args.split
    layout: Counter[tuple[str, str, bool]] = Counter()
    sentences: Counter[tuple[str, str, str]] = Counter()
    asides = aside_cues = 0
    for ann in sorted((root / "attributions").glob("*.ann")):
        text = read_article(root / "text" / f"{ann.name.rsplit('_', 1)[0]}.txt")
        document = read_brat(ann)
        starts = [start for start, _ in split_sentences(text)]
        quoted = quote_mask(text)
        for event in document.events:
            (cue_id,) = event.of("Cue")[:1] or (None,)
            if cue_id not in document.spans:
                continue
            cue = document.spans[cue_id].pieces
            cue_start, cue_end = cue[0][0], cue[-1][1]
            for role in ("Source", "Content"):
                for ref in event.of(role):
                    for start, end in document.spans[ref].pieces if ref in document.spans else ():
                        if end <= cue_start:
                            side, between = "before", text[end:cue_start]
                        elif start >= cue_end:
                            side, between = "after", text[cue_end:start]
                        else:
                            continue
                        layout[role, side, "\n" in between] += 1
                        lo, hi = (end, cue_start) if side == "before" else (cue_end, start)
                        # sentence starts in between, other than inside a quotation that runs on
                        between = [p for p in starts if lo < p <= hi]
                        crossed = any(not (quoted[p] and quoted[p - 1]) for p in between)
                        where = ("same sentence" if not crossed else
                                 "later sentence, opening it" if side == "after" and not _OPENING.sub("", text[between[-1] : start])
                                 else "other sentence")
                        sentences[role, side, where] += 1
        cues = document.role_spans("Cue")
        for found in _ASIDE_ANYWHERE.finditer(text):
            asides += 1
            aside_cues += any(start < found.end() and found.start() < end for start, end in cues)
    print(f"PolNeAR {args.split}: parts before / after their cue, on its line or across a line break\n")
    print("| role | side | same line | across a line break |")
    print("|---|---|---|---|")
    for role in ("Source", "Content"):
        for side in ("before", "after"):
            print(f"| {role} | {side} | {layout[role, side, False]:,} | {layout[role, side, True]:,} |")
    print("\n| role | side | same sentence | later sentence, opening it | other sentence |")
    print("|---|---|---|---|---|")
    for role in ("Source", "Content"):
        for side in ("before", "after"):
            cells = [sentences[role, side, w] for w in ("same sentence", "later sentence, opening it", "other sentence")]
            print(f"| {role} | {side} | " + " | ".join(f"{n:,}" for n in cells) + " |")
    print(f"\nAuthor's asides the extractor drops: {asides} in the texts, {aside_cues} of them annotated as a cue.")


if __name__ == "__main__":
    main()
