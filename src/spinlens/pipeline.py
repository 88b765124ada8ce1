"""Analyzer: loads the models once and runs the stages over one article or many."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from . import ingest
from .models import TECHNIQUES as SHIPPED_TECHNIQUES
from .models import technique_model
from .sentences import split_sentences
from .techniques.inference import sentence_raw_score
from .techniques.labels import TECHNIQUES
from .types import Analysis, Article, SentenceScore, TechniqueSpan


def as_article(item: str | Article) -> Article:
    return item if isinstance(item, Article) else ingest.from_text(item)


class Analyzer:
    """Holds the loaded models; `analyze` one article, `analyze_many` for batches (windows share encoder calls)."""

    def __init__(self, model_dir: str | Path | None = None, threads: int | None = None, batch_size: int = 8) -> None:
        self.model_dir = Path(model_dir) if model_dir else SHIPPED_TECHNIQUES
        self.threads = threads
        self.batch_size = batch_size

    @property
    def technique_model(self):
        return technique_model(self.model_dir, self.threads)

    def analyze(self, item: str | Article) -> Analysis:
        return next(iter(self.analyze_many([item])))

    def analyze_many(self, items: Iterable[str | Article]) -> Iterator[Analysis]:
        batch: list[Article] = []
        for item in items:
            batch.append(as_article(item))
            if len(batch) == self.batch_size:
                yield from self._analyze_batch(batch)
                batch = []
        if batch:
            yield from self._analyze_batch(batch)

    def _analyze_batch(self, articles: list[Article]) -> list[Analysis]:
        model = self.technique_model
        card = model.card
        model_info = {"name": card.get("name", "spinlens-techniques"), "version": str(card.get("version", "unknown"))}
        results = []
        for article, outputs in zip(articles, model.run([a.text for a in articles])):
            spans = []
            for fragment in model.fragments(outputs):
                order = fragment.technique_probs.argsort()[::-1]
                for rank, index in enumerate(order[:2]):
                    probability = float(fragment.technique_probs[index])
                    if rank == 0 or probability >= model.second_label:
                        spans.append(TechniqueSpan(fragment.start, fragment.end, TECHNIQUES[index], round(fragment.score, 4), round(probability, 4)))
            sentences = tuple(
                SentenceScore(s, e, round(float(model.sentence_calibration(sentence_raw_score(outputs, s, e))), 4))
                for s, e in split_sentences(article.text)
            )
            results.append(Analysis(article, tuple(spans), sentences, model_info))
        return results


def analyze(item: str | Article) -> Analysis:
    """Analyse one article (text or Article) with the shipped models."""
    return Analyzer().analyze(item)
