"""spaCy pipeline component: `nlp.add_pipe("spinlens")`.

Technique fragments go to `doc.spans["spinlens_techniques"]` (label = technique, score in
`span._.spinlens_score`); attributions to `doc.spans["spinlens_sources"]`, `["spinlens_cues"]` and
`["spinlens_contents"]` (labels: source type, "cue", speech kind); the whole Analysis is `doc._.spinlens`,
read from its JSON form in `doc._.spinlens_data`, which is what a Doc carries when it is serialised
(`doc.to_bytes()`, `DocBin`, `nlp.pipe(n_process=...)`).
Spans are widened to spaCy token boundaries where a fragment starts or ends inside a token.
`nlp.pipe(texts, batch_size=K)` analyses K documents at a time, as `Analyzer.analyze_many` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .errors import InputError
from .pipeline import Analyzer, as_article
from .types import Analysis, Article, Attribution, TextSpan

# spaCy's minibatch has no annotations: what it does with documents, typed here at the library's boundary.
_batches: Callable[[Iterable[Doc], int], Iterator[list[Doc]]] = minibatch

for _name, _target in (("spinlens_score", Span), ("spinlens_data", Doc)):
    if not _target.has_extension(_name):
        _target.set_extension(_name, default=None)
if not Doc.has_extension("spinlens"):
    # A getter, not a value: spaCy serialises user data with msgpack, which cannot hold an Analysis.
    Doc.set_extension("spinlens", getter=lambda doc: Analysis.from_dict(doc._.spinlens_data) if doc._.spinlens_data else None)


class SpinlensComponent:
    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """`nlp.pipe` calls this: the Analyzer runs a batch of documents at once, not one at a time."""
        position = 0
        for batch in _batches(docs, batch_size or self.analyzer.batch_size):
            articles = []
            for doc in batch:
                if doc.text.strip():
                    # The analysis itself does not check the language: spaCy has already been given the text.
                    # Checked here, so a refusal names the document's place in the whole stream.
                    try:
                        articles.append(as_article(Article(doc.text)))
                    except InputError as error:
                        raise InputError(f"document {position}: {error}") from None
                position += 1
            analyses = iter(self.analyzer.analyze_many(articles))
            for doc in batch:
                yield self._annotate(doc, next(analyses) if doc.text.strip() else None)

    @staticmethod
    def _annotate(doc: Doc, analysis: Analysis | None) -> Doc:
        if analysis is None:  # nothing to analyse: empty groups, no analysis
            for group in ("spinlens_techniques", "spinlens_sources", "spinlens_cues", "spinlens_contents"):
                doc.spans[group] = []
            return doc
        techniques = []
        for t in analysis.techniques:
            span = doc.char_span(t.start, t.end, label=t.technique, alignment_mode="expand")
            if span is not None:
                span._.spinlens_score = t.score
                techniques.append(span)
        doc.spans["spinlens_techniques"] = techniques

        def spans(parts: list[tuple[Attribution, TextSpan]], label: Callable[[Attribution], str]) -> list[Span]:
            found = (doc.char_span(p.start, p.end, label=label(a), alignment_mode="expand") for a, p in parts)
            return [s for s in found if s is not None]

        attributions = analysis.attributions
        doc.spans["spinlens_sources"] = spans([(a, s) for a in attributions for s in a.sources], lambda a: a.source_type)
        doc.spans["spinlens_cues"] = spans([(a, a.cue) for a in attributions], lambda a: "cue")
        doc.spans["spinlens_contents"] = spans([(a, c) for a in attributions for c in a.contents], lambda a: a.kind)
        doc._.spinlens_data = analysis.to_dict()
        return doc


@Language.factory("spinlens", default_config={"model_dir": None, "threads": None, "attribution": None})
def make_spinlens(nlp: Language, name: str, model_dir: str | None, threads: int | None, attribution: bool | None) -> SpinlensComponent:
    return SpinlensComponent(Analyzer(model_dir, threads=threads, attribution=attribution))
