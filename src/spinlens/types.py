"""The data model: an Article in, an Analysis out. Frozen dataclasses that round-trip through JSON.

Every offset is a code-point offset into `Analysis.text` exactly as the article holds it (Python
string indexing): `text[start:end]` is the fragment.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "spinlens/analysis/v1"


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None  # file path or "-" for stdin, when not a URL
    metadata: dict[str, str] = field(default_factory=dict)  # author, date, sitename … from HTML


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class TechniqueSpan(Span):
    technique: str
    score: float  # calibrated probability that the fragment uses a propaganda technique
    technique_score: float  # probability of this technique, given that it does


@dataclass(frozen=True)
class SentenceScore(Span):
    score: float  # calibrated probability that the sentence holds a technique fragment


@dataclass(frozen=True)
class Analysis:
    article: Article
    techniques: tuple[TechniqueSpan, ...] = ()
    sentences: tuple[SentenceScore, ...] = ()
    model: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text

    def fragment_text(self, span: Span) -> str:
        return self.article.text[span.start : span.end]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "text": self.article.text,
            "title": self.article.title,
            "url": self.article.url,
            "source": self.article.source,
            "metadata": dict(self.article.metadata),
            "model": dict(self.model),
            "techniques": [asdict(t) for t in self.techniques],
            "sentences": [asdict(s) for s in self.sentences],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Analysis":
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unsupported schema {data.get('schema')!r}; expected {SCHEMA!r}")
        article = Article(data["text"], data.get("title"), data.get("url"), data.get("source"), dict(data.get("metadata") or {}))
        return cls(
            article,
            tuple(TechniqueSpan(**t) for t in data.get("techniques", ())),
            tuple(SentenceScore(**s) for s in data.get("sentences", ())),
            dict(data.get("model") or {}),
        )

    @classmethod
    def from_json(cls, text: str) -> "Analysis":
        return cls.from_dict(json.loads(text))

    def _repr_html_(self) -> str:
        from .render.html import render_fragment

        return render_fragment(self)
