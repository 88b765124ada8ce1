"""Analyzer: loads the models once and runs the stages over one article or many.

One encoder pass per article serves both stages: the technique model's ONNX graph returns the token
encodings that the attribution tagger reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal, overload

from . import ingest
from .attribution.claims import author_claims, sentence_claims
from .attribution.tagger import AttributionTagger
from .attribution.voice import assign_voice
from .errors import AnalysisError, InputError, ModelError, SpinlensError
from .loaders import attribution_tagger, example_index, technique_model
from .models import ATTRIBUTION as SHIPPED_ATTRIBUTION
from .models import TECHNIQUES as SHIPPED_TECHNIQUES
from .sentences import split_sentences
from .techniques.evidence import DEFAULT_EXAMPLES, ExampleIndex, with_examples
from .techniques.inference import TechniqueModel, TokenOutputs, sentence_raw_score
from .types import MAX_EXAMPLES, Analysis, Article, Attribution, SentenceScore, TechniqueSpan

# What analyze_many does with an item that fails: raise its error, yield None, or yield the error.
Errors = Literal["raise", "none", "return"]


def as_article(item: str | Article) -> Article:
    """A text is checked as user input; an Article is taken as its maker built it (benchmarks score texts
    as given, with no language check), except for what no stage should process: too long, binary."""
    if isinstance(item, Article):
        if not isinstance(item.text, str):
            raise TypeError(f"an Article's text must be a str, not {type(item.text).__name__}")
        ingest.check_processable(item.text)
        return item
    if not isinstance(item, str):
        raise TypeError(
            f"expected the article's text (str) or an Article, not {type(item).__name__}; "
            "for bytes or files use spinlens.ingest.from_bytes / from_file"
        )
    return ingest.from_text(item)


class Analyzer:
    """Holds the loaded models; `analyze` one article, `analyze_many` for batches.

    attribution: None runs the attribution stage when a tagger is there to run (always when
    `attribution_dir` is given, so a wrong folder is an error rather than a silent skip); False skips it.
    explain: give each technique fragment its `examples` nearest annotated PTC train fragments of its
    technique (1 to 5), from the index in the model folder (examples.npz).
    min_probability: show a (fragment, technique) from this `probability` on; None: the model's default
    (judge.json's min_probability).
    min_attribution_score: keep an attribution from this `score` on (the chance that it is right); the
    others are left out of the analysis, so its claims and voices do not see them either. None: the
    tagger's default (calibration.json's min_score; every attribution for a tagger without one); 0 keeps all.
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        threads: int | None = None,
        batch_size: int = 8,
        attribution: bool | None = None,
        attribution_dir: str | Path | None = None,
        explain: bool = False,
        examples: int = DEFAULT_EXAMPLES,
        min_probability: float | None = None,
        min_attribution_score: float | None = None,
    ) -> None:
        for name, value in (("threads", threads), ("batch_size", batch_size)):
            # 0 or -1 meant "all cores" by accident; batch_size=None read the whole input before the first result
            if (value is not None or name == "batch_size") and (type(value) is not int or value < 1):
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
        if attribution not in (None, True, False):
            raise ValueError(f"attribution must be None, True or False, not {attribution!r}")
        for name, folder in (("model_dir", model_dir), ("attribution_dir", attribution_dir)):
            if folder is not None and (not isinstance(folder, (str, os.PathLike)) or not str(folder)):
                raise ValueError(f"{name} must be a model folder's path, not {folder!r}")  # "" meant the shipped model
        self.model_dir = Path(model_dir) if model_dir is not None else SHIPPED_TECHNIQUES
        self.attribution_dir = Path(attribution_dir) if attribution_dir is not None else SHIPPED_ATTRIBUTION
        if attribution is None:
            attribution = attribution_dir is not None or (SHIPPED_ATTRIBUTION / "tagger.onnx").is_file()
        self.attribution = attribution
        self.threads = threads
        self.batch_size = batch_size
        if type(explain) is not bool or type(examples) is not int or not 1 <= examples <= MAX_EXAMPLES:
            raise ValueError(f"explain must be True or False and examples a whole number from 1 to {MAX_EXAMPLES}, not {explain!r} and {examples!r}")
        self.explain, self.examples = explain, examples
        for name, threshold in (("min_probability", min_probability), ("min_attribution_score", min_attribution_score)):
            if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1):
                raise ValueError(f"{name} must be a number from 0 to 1, not {threshold!r}")
        self.min_probability = None if min_probability is None else float(min_probability)
        self.min_attribution_score = None if min_attribution_score is None else float(min_attribution_score)

    @property
    def technique_model(self) -> TechniqueModel:
        return technique_model(self.model_dir, self.threads)

    @property
    def attribution_tagger(self) -> AttributionTagger:
        tagger = attribution_tagger(self.attribution_dir, self.threads)
        # The tagger reads the technique model's encodings: with any other encoder its output is noise.
        model = self.technique_model
        encoder, loaded = tagger.card.encoder, model.card.version
        if encoder != loaded:
            raise ModelError(
                f"the attribution tagger in {self.attribution_dir} was trained on technique model {encoder}, not on "
                f"{loaded} ({self.model_dir}): retrain it with 'spinlens train attribution --techniques {self.model_dir}' "
                "and pass it (--attribution-model), or turn attribution off (--no-attribution)"
            )
        if missing := model.missing_encodings(tagger.encoder_outputs):
            raise ModelError(
                f"the attribution tagger in {self.attribution_dir} reads the technique model's {', '.join(missing)}, which "
                f"the graph in {self.model_dir} does not give: expose it (spinlens.training.graph.expose_middle_file) "
                "or turn attribution off (--no-attribution)"
            )
        return tagger

    @property
    def example_index(self) -> ExampleIndex:
        return example_index(self.model_dir, str(self.technique_model.card.version))

    def analyze(self, item: str | Article) -> Analysis:
        """Analyse one article; an error is raised as it is (InputError for input that cannot be analysed)."""
        result = self._analyze_isolated([as_article(item)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    @overload
    def analyze_many(self, items: Iterable[str | Article], errors: Literal["raise"] = ...) -> Iterator[Analysis]: ...
    @overload
    def analyze_many(self, items: Iterable[str | Article], errors: Literal["none"]) -> Iterator[Analysis | None]: ...
    @overload
    def analyze_many(self, items: Iterable[str | Article], errors: Literal["return"]) -> Iterator[Analysis | SpinlensError | TypeError]: ...

    def analyze_many(
        self, items: Iterable[str | Article], errors: Errors = "raise"
    ) -> Iterator[Analysis | SpinlensError | TypeError | None]:
        """One result per item, in order. What `errors` does with an item that fails:

        - "raise" (default): the analyses of every item before it are yielded, then the error is raised:
          InputError (TypeError for an item that is neither a text nor an Article) or, for a fault of
          spinlens's own while analysing it, AnalysisError; each names the item's position.
        - "none": None in its place, and the run goes on, so results stay aligned with the items (a column
          of texts with an empty or foreign one in it).
        - "return": the error itself in its place (InputError, TypeError or AnalysisError, whose `cause` is
          the original exception), and the run goes on.

        An item's failure never costs another item its result: a fault while analysing one article fails
        that article alone."""
        if isinstance(items, (str, bytes)):  # iterating it would analyse one character at a time
            raise TypeError("analyze_many takes an iterable of texts or Articles, not one text: use analyze() for one")
        if errors not in ("raise", "none", "return"):
            raise ValueError(f"errors must be 'raise', 'none' or 'return', not {errors!r}")
        batch: list[tuple[int, Article | InputError | TypeError]] = []  # failed items kept for their place
        articles = 0
        for position, item in enumerate(items):
            try:
                entry: Article | InputError | TypeError = as_article(item)
                articles += 1
            except (InputError, TypeError) as error:
                entry = type(error)(f"item {position}: {error}")
                if errors == "raise":
                    yield from self._finish(batch, errors)
                    raise entry from None
            batch.append((position, entry))
            if articles == self.batch_size:
                yield from self._finish(batch, errors)
                batch, articles = [], 0
        yield from self._finish(batch, errors)

    def _finish(
        self, batch: list[tuple[int, Article | InputError | TypeError]], errors: Errors
    ) -> Iterator[Analysis | SpinlensError | TypeError | None]:
        results = iter(self._analyze_isolated([entry for _, entry in batch if isinstance(entry, Article)]))
        for position, entry in batch:
            result = entry if not isinstance(entry, Article) else next(results)
            if isinstance(result, Analysis):
                yield result
                continue
            failure = result if isinstance(result, (InputError, TypeError)) else AnalysisError(position, result)
            if errors == "raise":
                raise failure
            yield None if errors == "none" else failure

    def _analyze_isolated(self, articles: list[Article]) -> list[Analysis | Exception]:
        """Each article's analysis, or the exception that its analysis raised. The models are loaded first,
        outside the isolation: a missing model is the whole run's error, not an article's."""
        if not articles:
            return []
        model, tagger, model_info = self._stages()
        index = self.example_index if self.explain else None
        try:
            wanted = {*(tagger.encoder_outputs if tagger is not None else ()), *(("encodings",) if index is not None else ())}
            outputs = model.run([a.text for a in articles], encodings=wanted)
        except Exception as error:  # the shared encoder pass failed: again one by one, to find whose fault
            if len(articles) == 1:
                return [error]
            return [result for article in articles for result in self._analyze_isolated([article])]
        results: list[Analysis | Exception] = []
        for article, out in zip(articles, outputs):
            try:
                analysis = self._analysis(model, tagger, article, out, model_info)
                if index is not None:  # the evidence, added to the finished spans
                    analysis = replace(analysis, techniques=with_examples(analysis.techniques, out, index, self.examples))
                results.append(analysis)
            except Exception as error:  # a fault in one article's stages fails that article alone
                results.append(error)
        return results

    def _stages(self) -> tuple[TechniqueModel, AttributionTagger | None, dict[str, str]]:
        """The loaded models and what the analyses say of them."""
        model = self.technique_model
        tagger = self.attribution_tagger if self.attribution else None
        name, version = model.card.name, model.card.version
        model_info = {"name": name if name is not None else "spinlens-techniques", "version": str(version if version is not None else "unknown")}
        shown_from = self.min_probability if self.min_probability is not None else model.min_probability
        if shown_from is not None:  # what a report can tell a reader who sees few or no flags
            model_info["min_probability"] = str(shown_from)
        if tagger is not None:
            version = tagger.card.version
            model_info["attribution"] = str(version if version is not None else "unknown")
            if (kept_from := self._attribution_threshold(tagger)) is not None:  # as min_probability: what a report leaves out
                model_info["min_attribution_score"] = str(kept_from)
        return model, tagger, model_info

    def _attribution_threshold(self, tagger: AttributionTagger) -> float | None:
        return self.min_attribution_score if self.min_attribution_score is not None else tagger.min_score

    def _analysis(
        self, model: TechniqueModel, tagger: AttributionTagger | None, article: Article, outputs: TokenOutputs, model_info: dict[str, str]
    ) -> Analysis:
        spans = [
            TechniqueSpan(fragment.start, fragment.end, technique, round(fragment.score, 4), round(technique_probability, 4),
                          probability=None if probability is None else round(probability, 4))
            for fragment in model.fragments(outputs)
            for technique, technique_probability, probability in model.flags(fragment, self.min_probability)
        ]
        sentences = tuple(
            SentenceScore(s, e, round(float(model.sentence_calibration(sentence_raw_score(outputs, s, e))), 4))
            for s, e in split_sentences(article.text)
        )
        if tagger is None:
            return Analysis(article, tuple(spans), sentences, model=model_info)
        # The encodings were asked for whenever there is a tagger (_analyze_isolated), and the graph gives those it reads.
        attributions = tuple(tagger.extract(article.text, outputs.offsets, outputs.stacked(tagger.encoder_outputs)))
        return with_attributions(Analysis(article, tuple(spans), sentences, model=model_info),
                                 scored_from(attributions, self._attribution_threshold(tagger)))


def scored_from(attributions: tuple[Attribution, ...], threshold: float | None) -> tuple[Attribution, ...]:
    """The attributions scored `threshold` or more (all of them for None)."""
    return attributions if threshold is None else tuple(a for a in attributions if a.score >= threshold)


def with_attributions(analysis: Analysis, attributions: tuple[Attribution, ...]) -> Analysis:
    """The analysis with these attributions, and the sentences' claims and the fragments' voices that follow from them."""
    claimed = sentence_claims(analysis.text, analysis.sentences, attributions)
    return replace(analysis, techniques=assign_voice(analysis.techniques, attributions), sentences=claimed,
                   attributions=attributions, unattributed_sentences=author_claims(claimed))


def keep_attributions(analysis: Analysis, min_attribution_score: float) -> Analysis:
    """A finished analysis with only its attributions scored `min_attribution_score` or more, as an Analyzer
    with that threshold makes it (claims and voices follow), and the threshold in `model` where it rises."""
    if not analysis.model.get("attribution"):  # the attribution stage did not run: nothing to leave out
        return analysis
    kept = scored_from(analysis.attributions, min_attribution_score)
    if len(kept) < len(analysis.attributions):
        analysis = with_attributions(analysis, kept)
    recorded = analysis.model.get("min_attribution_score")
    try:
        rises = recorded is None or float(recorded) < min_attribution_score
    except ValueError:  # not a number (a corpus file's own model field): what was applied replaces it
        rises = True
    return replace(analysis, model={**analysis.model, "min_attribution_score": str(float(min_attribution_score))}) if rises else analysis


def analyze(item: str | Article, explain: bool = False) -> Analysis:
    """Analyse one article (text or Article) with the shipped models; explain: with each fragment's nearest
    annotated examples (Analyzer's explain)."""
    return Analyzer(explain=explain).analyze(item)
