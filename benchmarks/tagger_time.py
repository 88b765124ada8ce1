"""How long the attribution tagger alone takes an article: its ONNX graph and token features, after the encoder.

    python benchmarks/tagger_time.py --data ../shared/data/ptc --tagger DIR [--tagger DIR2 ...] [--articles 40]

Encodes the first ARTICLES PTC train articles once with the shipped technique model, then times
`AttributionTagger.tag_logits` of each tagger folder over them (one thread, a warm-up pass first, the best of
three passes), so taggers are compared on the same encodings in the same process.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from spinlens.attribution.tagger import AttributionTagger
from spinlens.formats.ptc import read_article
from spinlens.loaders import technique_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--tagger", type=Path, action="append", required=True, help="a tagger folder (repeatable)")
    parser.add_argument("--articles", type=int, default=40)
    args = parser.parse_args()
    texts = [read_article(path) for path in sorted((args.data / "train-articles").glob("*.txt"))[: args.articles]]
    encoder = technique_model()
    outputs = [encoder.run([text], encodings=encoder.encodings_outputs)[0] for text in texts]
    for folder in args.tagger:
        tagger = AttributionTagger.load(folder, threads=1, calibrated=False)
        times = []
        for _ in range(4):
            started = time.perf_counter()
            for text, out in zip(texts, outputs):
                tagger.tag_logits(text, out.offsets, out.stacked(tagger.encoder_outputs))
            times.append(time.perf_counter() - started)
        print(f"{folder}: {1000 * min(times[1:]) / len(texts):.1f} ms an article ({len(texts)} articles, one thread)")


if __name__ == "__main__":
    main()
