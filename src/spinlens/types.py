"""The data model: an Article in, an Analysis out. Frozen dataclasses that round-trip through JSON.

Every offset is a code-point offset into `Analysis.text` exactly as the article holds it (Python
string indexing): `text[start:end]` is the fragment.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, TypeGuard, TypeVar, get_args

from .labels import TECHNIQUE_INDEX

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SCHEMA = "spinlens/analysis/v2"
READABLE_SCHEMAS = ("spinlens/analysis/v1", SCHEMA)  # v1 had no attributions and no voice

# The closed sets of the schema, each spelled once: the Literal for the type checker, the tuple (its
# values in order) for the checks that read an analysis back.
Voice = Literal["author", "quoted"]  # "author": the outlet's own words; "quoted": inside an attribution's content
Kind = Literal["direct", "indirect", "mixed"]  # speech kind: a quotation, reported speech, or both
SourceType = Literal["person", "organisation", "media", "document", "anonymous", "author", "none"]
Role = Literal["Source", "Cue", "Content"]  # the parts of an attribution (PolNeAR's roles)
Gender = Literal["male", "female"]  # of a source, where its words tell
# Whose claim a sentence is: an attribution's, or the author's (plain, hedged, boosted, asked), or none at all.
ClaimStatus = Literal["attributed", "asserted", "hedged", "boosted", "question", "none"]
MarkerKind = Literal["hedge", "booster"]  # how an expression qualifies a claim

VOICES: tuple[Voice, ...] = get_args(Voice)
KINDS: tuple[Kind, ...] = get_args(Kind)
SOURCE_TYPES: tuple[SourceType, ...] = get_args(SourceType)
ROLES: tuple[Role, ...] = get_args(Role)
CLAIM_STATUSES: tuple[ClaimStatus, ...] = get_args(ClaimStatus)
MARKER_KINDS: tuple[MarkerKind, ...] = get_args(MarkerKind)

_Built = TypeVar("_Built", bound="DataclassInstance")


def known_fields(cls: type[_Built], data: dict[str, Any]) -> _Built:
    """`cls` built from the keys of `data` it has: a file from a later version of the same schema may add
    fields (only removing or redefining one changes the schema), and this reader must still load it."""
    names = {f.name for f in fields(cls)}
    return cls(**{key: value for key, value in data.items() if key in names})


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON's true is no offset


def _is_number(value: Any) -> bool:
    return _is_int(value) or (isinstance(value, float) and math.isfinite(value))


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None  # file path or "-" for stdin, when not a URL
    metadata: dict[str, str] = field(default_factory=dict)  # author, date, sitename … from HTML

    def __post_init__(self) -> None:
        # Checked when built, so an analysis's JSON always reads back (`Analysis.from_dict`).
        if not all(value is None or isinstance(value, str) for value in (self.title, self.url, self.source)):
            raise ValueError("an article's title, url and source are strings or None")
        if not isinstance(self.metadata, dict) or not all(isinstance(value, str) for item in self.metadata.items() for value in item):
            raise ValueError("an article's metadata maps strings to strings")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class TextSpan(Span):
    text: str  # the article's characters [start, end), kept for readers of the JSON


MAX_EXAMPLES = 5  # the most nearest annotated examples a fragment carries (explain) and a report shows


@dataclass(frozen=True)
class Example:
    """A fragment annotated in PTC train like a flagged one: the evidence shown beside a flag."""

    article_id: str  # PTC article id
    technique: str  # its gold technique
    text: str  # the gold fragment
    sentence: str  # the line of the article that holds it
    similarity: float  # cosine similarity of the encoder's pooled representations, -1..1


@dataclass(frozen=True)
class TechniqueSpan(Span):
    technique: str
    score: float  # calibrated probability that the fragment uses a propaganda technique
    technique_score: float  # probability of this technique, given that it does
    voice: Voice = "author"  # one of VOICES. "author": the outlet's own words; "quoted": inside an attribution's content
    attribution: int | None = None  # index into Analysis.attributions when quoted
    # The headline number: calibrated chance that a gold fragment of this technique overlaps the span.
    # None in analyses made before it was (read back from older files).
    probability: float | None = None
    examples: tuple[Example, ...] = ()  # nearest annotated fragments of the technique, when asked for (explain)

    def __post_init__(self) -> None:
        # Reports colour and count by technique: a label outside the schema's 14 has no place in them.
        if self.technique not in TECHNIQUE_INDEX:
            raise ValueError(f"unknown technique {self.technique!r}; the techniques are {', '.join(TECHNIQUE_INDEX)}")

    @property
    def headline(self) -> float:
        """The number a report shows: `probability`, or `score` for analyses made before it."""
        return self.probability if self.probability is not None else self.score

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "examples": [asdict(e) for e in self.examples]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TechniqueSpan:
        examples = tuple(known_fields(Example, e) for e in data.get("examples") or ())
        return known_fields(cls, {**data, "examples": examples})


@dataclass(frozen=True)
class Attribution:
    """Who (sources) said or thought (cue) what (contents), and through whom (via)."""

    cue: TextSpan
    sources: tuple[TextSpan, ...]
    contents: tuple[TextSpan, ...]
    kind: Kind  # one of KINDS: "direct", "indirect" or "mixed"
    source_type: SourceType  # one of SOURCE_TYPES
    speaker: TextSpan | None  # the fullest mention of the source in the article
    via: tuple[TextSpan, ...]  # intermediaries: "Ryabkov, via RIA"
    score: float

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("sources", "contents", "via"):  # lists, as the JSON has them
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        def span(d: dict[str, Any]) -> TextSpan:
            return known_fields(TextSpan, d)

        return cls(
            span(data["cue"]), tuple(map(span, data["sources"])), tuple(map(span, data["contents"])), data["kind"],
            data["source_type"], span(data["speaker"]) if data.get("speaker") else None, tuple(map(span, data["via"])), data["score"],
        )


@dataclass(frozen=True)
class Marker(TextSpan):
    """An expression that hedges a claim ("may", "reportedly") or hammers it home ("make no mistake")."""

    kind: MarkerKind  # one of MARKER_KINDS


@dataclass(frozen=True)
class Claim:
    """Whose claim a sentence is and how it is made. `attribution`: the index into Analysis.attributions
    of the attribution whose words the sentence is, when its status is "attributed"."""

    status: ClaimStatus  # one of CLAIM_STATUSES
    markers: tuple[Marker, ...] = ()
    attribution: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "markers": [asdict(m) for m in self.markers], "attribution": self.attribution}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        return cls(data["status"], tuple(known_fields(Marker, m) for m in data.get("markers") or ()), data.get("attribution"))


@dataclass(frozen=True)
class SentenceScore(Span):
    score: float  # calibrated probability that the sentence holds a technique fragment
    claim: Claim | None = None  # None in analyses made before claims were (schema v2 without them)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"start": self.start, "end": self.end, "score": self.score}
        if self.claim is not None:
            data["claim"] = self.claim.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SentenceScore:
        claim = data.get("claim")
        return cls(data["start"], data["end"], data["score"], Claim.from_dict(claim) if claim is not None else None)


@dataclass(frozen=True)
class Analysis:
    article: Article
    techniques: tuple[TechniqueSpan, ...] = ()
    sentences: tuple[SentenceScore, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    unattributed_sentences: int = 0  # the author's own claims: sentences asserted, hedged or boosted
    model: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text

    def fragment_text(self, span: Span) -> str:
        return self.article.text[span.start : span.end]

    def voice_counts(self) -> dict[Voice, int]:
        """Technique fragments in the author's own voice and inside quoted or reported speech."""
        quoted = sum(1 for t in self.techniques if t.voice == "quoted")
        return {"author": len(self.techniques) - quoted, "quoted": quoted}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "text": self.article.text,
            "title": self.article.title,
            "url": self.article.url,
            "source": self.article.source,
            "metadata": dict(self.article.metadata),
            "model": dict(self.model),
            "techniques": [t.to_dict() for t in self.techniques],
            "sentences": [s.to_dict() for s in self.sentences],
            "attributions": [a.to_dict() for a in self.attributions],
            "unattributed_sentences": self.unattributed_sentences,
            "voice": self.voice_counts(),  # derived from techniques[].voice; ignored when read back
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """Raises ValueError for anything that is not an analysis of a readable schema."""
        if not isinstance(data, dict):
            raise ValueError(f"not a spinlens analysis: a JSON object is expected, not {type(data).__name__}")
        if data.get("schema") not in READABLE_SCHEMAS:
            raise ValueError(f"unsupported schema {data.get('schema')!r}; expected {SCHEMA!r}")
        if not isinstance(data.get("text"), str):
            raise ValueError("not a spinlens analysis: it has no 'text'")
        try:
            article = Article(data["text"], data.get("title"), data.get("url"), data.get("source"), dict(data.get("metadata") or {}))
            analysis = cls(
                article,
                tuple(TechniqueSpan.from_dict(t) for t in data.get("techniques") or ()),
                tuple(SentenceScore.from_dict(s) for s in data.get("sentences") or ()),
                tuple(Attribution.from_dict(a) for a in data.get("attributions") or ()),
                data.get("unattributed_sentences", 0),
                dict(data.get("model") or {}),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as error:  # a part missing or of the wrong kind
            raise ValueError(f"not a spinlens analysis: {type(error).__name__}: {error}") from None
        problem = analysis._problem()
        if problem:
            raise ValueError(f"not a spinlens analysis: {problem}")
        return analysis

    def _problem(self) -> str | None:
        """What in a read analysis breaks the schema, where a report would fail on it or show it wrong."""
        if not all(isinstance(value, str) for item in self.model.items() for value in item):
            return "model must map strings to strings"
        if not (_is_int(self.unattributed_sentences) and self.unattributed_sentences >= 0):
            return f"unattributed_sentences {self.unattributed_sentences!r} is not a count"
        for span in self.spans():
            if not (_is_int(span.start) and _is_int(span.end) and 0 <= span.start <= span.end <= len(self.text)):
                return f"span {span.start!r}-{span.end!r} is outside the text"
            if isinstance(span, TextSpan) and span.text != self.fragment_text(span):
                return f"span {span.start}-{span.end} has the text {span.text!r}, not the article's {self.fragment_text(span)!r}"
        numbers = [(f"techniques[{i}].{name}", getattr(t, name)) for i, t in enumerate(self.techniques) for name in ("score", "technique_score")]
        numbers += [(f"techniques[{i}].probability", t.probability) for i, t in enumerate(self.techniques) if t.probability is not None]
        numbers += [(f"techniques[{i}].examples[{j}].similarity", e.similarity) for i, t in enumerate(self.techniques) for j, e in enumerate(t.examples)]
        numbers += [(f"sentences[{i}].score", s.score) for i, s in enumerate(self.sentences)]
        numbers += [(f"attributions[{i}].score", a.score) for i, a in enumerate(self.attributions)]
        for where, value in numbers:
            if not _is_number(value):
                return f"{where} is {value!r}, not a number"
        for i, t in enumerate(self.techniques):
            if t.probability is not None and not 0 <= t.probability <= 1:
                return f"techniques[{i}].probability is {t.probability!r}, not a probability"
            if t.voice not in VOICES:
                return f"techniques[{i}].voice is {t.voice!r}, not one of {', '.join(VOICES)}"
            # A quoted fragment names its attribution (reports show its speaker); the author's names none.
            if t.voice == "quoted" and not (_is_int(t.attribution) and 0 <= t.attribution < len(self.attributions)):
                return f"techniques[{i}] is quoted, but its attribution {t.attribution!r} is no index into the {len(self.attributions)} attributions"
            if t.voice == "author" and t.attribution is not None:
                return f"techniques[{i}] is in the author's voice, but has attribution {t.attribution!r}"
        for i, sentence in enumerate(self.sentences):
            claim = sentence.claim
            if claim is None:
                continue
            if claim.status not in CLAIM_STATUSES:
                return f"sentences[{i}].claim.status is {claim.status!r}, not one of {', '.join(CLAIM_STATUSES)}"
            if (claim.status == "attributed") != (_is_int(claim.attribution) and 0 <= claim.attribution < len(self.attributions)):
                return f"sentences[{i}].claim: status {claim.status!r} with attribution {claim.attribution!r}"
            for marker in claim.markers:
                if marker.kind not in MARKER_KINDS:
                    return f"sentences[{i}].claim has a marker of kind {marker.kind!r}, not one of {', '.join(MARKER_KINDS)}"
        for i, a in enumerate(self.attributions):
            if a.kind not in KINDS:
                return f"attributions[{i}].kind is {a.kind!r}, not one of {', '.join(KINDS)}"
            if a.source_type not in SOURCE_TYPES:
                return f"attributions[{i}].source_type is {a.source_type!r}, not one of {', '.join(SOURCE_TYPES)}"
        return None

    def spans(self) -> Iterator[Span]:
        """Every span of the analysis: fragments, sentences, and each attribution's parts."""
        yield from self.techniques
        yield from self.sentences
        for sentence in self.sentences:
            if sentence.claim is not None:
                yield from sentence.claim.markers
        for a in self.attributions:
            yield a.cue
            yield from a.sources
            yield from a.contents
            yield from a.via
            if a.speaker is not None:
                yield a.speaker

    @classmethod
    def from_json(cls, text: str) -> Analysis:
        return cls.from_dict(json.loads(text))

    def __repr__(self) -> str:
        # The dataclass repr printed the whole article and every span: a summary reads better in a terminal.
        start = self.text[:40] + ("…" if len(self.text) > 40 else "")
        return (f"<Analysis of {len(self.text):,} characters ({start!r}): {len(self.techniques)} technique fragments, "
                f"{len(self.attributions)} attributions>")
