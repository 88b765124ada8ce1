"""The API's request and response bodies, as pydantic models: FastAPI checks each answer against them and
documents them in the OpenAPI schema (/openapi.json, /docs).

Field names and their order are those of the JSON the API has always sent; a null is sent as null.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, ValidationInfo, WithJsonSchema, field_validator, model_validator

from ..store.db import OUTLET_WIDTH, iso_date
from ..store.queries import field_problem
from ..types import CLAIM_STATUSES, KINDS, MARKER_KINDS, SCHEMA, SOURCE_TYPES, VOICES

# A score as stored: a float from the models, but an analysis read from a corpus file may have an integer
# (1), which is sent as given, not as 1.0.
Number = Annotated[float | int, WithJsonSchema({"type": "number"})]


class Error(BaseModel):
    """The body of every error the API answers."""

    error: str = Field(description="What went wrong, in one line.")


class Health(BaseModel):
    status: Literal["ok", "loading", "error"]
    articles: int
    error: Annotated[str | None, Field(description="Why the models could not load.")] = None


class AnalyzeRequest(BaseModel):
    text: Annotated[str | None, Field(description="Plain article text.")] = None
    html: Annotated[str | None, Field(description="An HTML page; its main text is extracted.")] = None
    url: Annotated[str | None, Field(description="An http(s) URL to fetch (public addresses only).")] = None
    title: str | None = None
    outlet: Annotated[str | None, Field(description=f"At most {OUTLET_WIDTH} characters.")] = None
    published: Annotated[str | None, Field(description="Publication date, YYYY-MM-DD.")] = None
    explain: Annotated[bool, Field(description="Give each technique fragment its nearest annotated PTC examples (techniques[].examples).")] = False
    min_probability: Annotated[float | None, Field(ge=0, le=1, description=(
        "Answer with the (fragment, technique) pairs of at least this probability. The server stores what its "
        "analyser shows (from the model's default, 0.5, unless `spinlens serve --min-probability` set another): a higher value shows fewer, a lower one no more."))] = None
    min_attribution_score: Annotated[float | None, Field(ge=0, le=1, description=(
        "Answer with the attributions of at least this score (the chance that one is right), and the claims and voices that follow "
        "from them. The server stores what its analyser keeps (from the tagger's default, 0.4): a higher value keeps fewer, a lower one no more."))] = None

    @field_validator("title", "outlet")
    @classmethod
    def storable(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.field_name is not None and (problem := field_problem(info.field_name, value)) is not None:
            raise ValueError(problem)
        return value

    @field_validator("published")
    @classmethod
    def real_date(cls, value: str | None) -> str | None:
        # The store's one rule, shared with corpus runs (pydantic's date type also takes datetimes and numbers).
        if value is not None and iso_date(value) is None:
            raise ValueError("must be a date written YYYY-MM-DD")
        return value

    @model_validator(mode="after")
    def one_input(self) -> AnalyzeRequest:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self


# An analysis -----------------------------------------------------------------------------------
# Offsets are code-point offsets into the article's text: text[start:end] is the span.


class TextSpan(BaseModel):
    start: int
    end: int
    text: str = Field(description="The article's characters [start, end).")


class Example(BaseModel):
    """An annotated PTC training fragment of the same technique, near the flagged one: the evidence beside it."""

    article_id: str = Field(description="The PTC article id.")
    technique: str = Field(description="Its gold technique.")
    text: str = Field(description="The annotated fragment.")
    sentence: str = Field(description="The line of the article that holds it.")
    similarity: Number = Field(description="Cosine similarity to the flagged fragment, -1..1.")


class TechniqueSpan(BaseModel):
    start: int
    end: int
    technique: str = Field(description="One of the 14 technique labels.")
    score: Number = Field(description="Calibrated probability that the fragment uses a propaganda technique.")
    technique_score: Number = Field(description="Probability of this technique, given that it does.")
    voice: str = Field(description=f"One of {', '.join(VOICES)}: the outlet's own words, or inside an attribution's content.")
    attribution: int | None = Field(description="Index into attributions when quoted.")
    probability: Number | None = Field(None, description="The headline figure: the calibrated chance that a gold fragment of this "
                                                         "technique overlaps the span (null in analyses made before it was).")
    examples: list[Example] = Field([], description="Up to a few nearest annotated fragments of the technique, when the "
                                                    "analysis was made with evidence (`--explain`); empty otherwise.")


class Marker(TextSpan):
    kind: str = Field(description=f"One of {', '.join(MARKER_KINDS)}: an expression that hedges a claim or hammers it home.")


class Claim(BaseModel):
    status: str = Field(description=f"One of {', '.join(CLAIM_STATUSES)}: an attribution's words, the author's own claim "
                                    "(plain, hedged, boosted, or a question), or no claim (a title, a fragment).")
    markers: list[Marker] = Field(description="Hedges and boosters in the sentence, attributed sentences included.")
    attribution: int | None = Field(description="Index into attributions when the status is \"attributed\".")


class SentenceScore(BaseModel):
    start: int
    end: int
    score: Number = Field(description="Calibrated probability that the sentence holds a technique fragment.")
    claim: Claim | None = Field(None, description="Whose claim the sentence is (null in analyses stored before claims).")


class Attribution(BaseModel):
    """Who (sources) said or thought (cue) what (contents), and through whom (via)."""

    cue: TextSpan
    sources: list[TextSpan]
    contents: list[TextSpan]
    kind: str = Field(description=f"One of {', '.join(KINDS)}.")
    source_type: str = Field(description=f"One of {', '.join(SOURCE_TYPES)}.")
    speaker: TextSpan | None = Field(description="The fullest mention of the source in the article.")
    via: list[TextSpan] = Field(description="Intermediaries: \"Ryabkov, via RIA\".")
    score: Number


class VoiceCounts(BaseModel):
    author: int = Field(description="Technique fragments in the author's own voice.")
    quoted: int = Field(description="Technique fragments inside quoted or reported speech.")


class StoredAnalysis(BaseModel):
    """A stored article's analysis: the stored row's metadata (which a later request may have filled) over
    the analysis's own."""

    id: int
    outlet: str | None
    published: str | None
    schema_: str = Field(alias="schema", description=f"The schema of the analysis JSON: {SCHEMA!r}.")
    text: str
    title: str | None
    url: str | None
    source: str | None = Field(description="File path or \"-\" for stdin, when not a URL.")
    metadata: dict[str, str] = Field(description="Author, date, site name … from HTML.")
    model: dict[str, str] = Field(description="The models' names and versions.")
    techniques: list[TechniqueSpan]
    sentences: list[SentenceScore]
    attributions: list[Attribution]
    unattributed_sentences: int = Field(description="The author's own claims: sentences asserted, hedged or boosted.")
    voice: VoiceCounts


class AnalysisResult(StoredAnalysis):
    """The answer to an analysis request: the stored analysis, and whether it was stored before."""

    cached: bool = Field(description="True when this text was stored before: that analysis, not a new one.")


class Deleted(BaseModel):
    deleted: int = Field(description="The id of the deleted article.")


# Listings and statistics -----------------------------------------------------------------------


class ArticleSummary(BaseModel):
    id: int
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    words: int
    fragments: int
    quoted_fragments: int
    attributions: int
    created_at: str
    density_per_1000_words: float


class ArticleList(BaseModel):
    items: list[ArticleSummary]
    next_cursor: int | None = Field(description="The cursor of the next page; null on the last.")


class GroupStats(BaseModel):
    group: str | None = Field(description="The outlet or the day (YYYY-MM-DD); null for articles without one.")
    articles: int
    words: int
    fragments: int
    density_per_1000_words: float
    author_share: float | None = Field(description="Share of the fragments in the author's voice; null with none.")
    quoted_share: float | None = Field(description="Share of the fragments in quoted speech; null with none.")
    claim_sentences: int = Field(description="The sentences with a claim status: the base of the four shares below. Articles "
                                             "stored before claims (before store schema 3) or analysed without them count 0, "
                                             "so the shares cover only the articles with claims.")
    attributed_share: float | None = Field(description="Share of those sentences in an attribution's words; null with none.")
    asserted_share: float | None = Field(description="Share of those sentences the author's plain assertions; null with none.")
    hedged_share: float | None = Field(description="Share of those sentences the author's, hedged; null with none.")
    boosted_share: float | None = Field(description="Share of those sentences the author's, boosted; null with none.")


class TechniqueStats(BaseModel):
    group: str = Field(description="The technique.")
    articles: int = Field(description="Articles with this technique.")
    fragments: int
    words: int = Field(description="The words of all the articles selected (the density's base).")
    density_per_1000_words: float
    author_share: float | None
    quoted_share: float | None


class StatsByGroup(BaseModel):
    group_by: Literal["outlet", "day"]
    groups: list[GroupStats]


class StatsByTechnique(BaseModel):
    group_by: Literal["technique"]
    groups: list[TechniqueStats]


Stats = Annotated[StatsByGroup | StatsByTechnique, Field(discriminator="group_by")]


# The source map (store/sources.py) --------------------------------------------------------------


class OutletCount(BaseModel):
    outlet: str | None = Field(description="The outlet; null for articles stored without one.")
    attributions: int


class IntermediaryCount(BaseModel):
    intermediary: str
    attributions: int


class SourceCount(BaseModel):
    source: str
    attributions: int


class QuotedSource(BaseModel):
    source: str = Field(description="The resolved speaker (an attribution's speaker, else its first source), as spelt most often.")
    source_type: str = Field(description=f"Its most frequent source type: one of {', '.join(SOURCE_TYPES)}.")
    attributions: int
    articles: int = Field(description="The articles that quote it.")
    quoted_fragments: int = Field(description="Technique fragments inside its words.")
    outlets: list[OutletCount] = Field(description="The outlets that quote it, most attributions first.")
    via: list[IntermediaryCount] = Field(description="The intermediaries it is quoted through, most attributions first.")


class SourceList(BaseModel):
    attributions: int = Field(description="Every attribution counted: those of the selected articles (of the source type, when given).")
    unnamed: int = Field(description="Those that name nobody: no source, a bare pronoun (\"he\") or the author (\"we\").")
    sources: list[QuotedSource]


class Intermediary(BaseModel):
    intermediary: str = Field(description="Who passes the source's words on (\"…, according to RIA\").")
    attributions: int
    articles: int
    outlets: list[OutletCount] = Field(description="The outlets that relay it, most attributions first.")
    sources: list[SourceCount] = Field(description="The sources it passes on, most attributions first.")


class IntermediaryList(BaseModel):
    intermediaries: list[Intermediary]


class SourceTypeShares(BaseModel):
    """Each source type's share of an outlet's attributions (4 decimals; null when it has none)."""

    person: float | None
    organisation: float | None
    media: float | None
    document: float | None
    anonymous: float | None
    author: float | None
    none: float | None


class OutletSources(BaseModel):
    outlet: str | None = Field(description="The outlet; null for articles stored without one.")
    articles: int
    attributions: int
    unnamed: int = Field(description="Attributions that name nobody.")
    via_share: float | None = Field(description="Share of the attributions through an intermediary; null with none.")
    source_types: SourceTypeShares
    fragments: int = Field(description="Technique fragments of its articles (all of them, whatever source_type selects).")
    author_fragments: int
    quoted_fragments: int
    author_share: float | None = Field(description="Share of the fragments in the author's voice; null with none.")
    quoted_share: float | None = Field(description="Share of the fragments in quoted speech; null with none.")


class OutletSourceList(BaseModel):
    outlets: list[OutletSources]


class NetworkNode(BaseModel):
    id: str = Field(description="\"outlet:NAME\", \"intermediary:KEY\" or \"source:KEY\" (KEY: the name in lower case).")
    kind: Literal["outlet", "intermediary", "source"]
    label: str
    attributions: int
    source_type: str | None = Field(None, description="A source's most frequent source type.")


class NetworkEdge(BaseModel):
    source: str = Field(description="The id of the node it starts from.")
    target: str = Field(description="The id of the node it goes to.")
    relation: Literal["relays", "quotes"] = Field(description="An outlet relays an intermediary; an intermediary or an outlet quotes a source.")
    weight: int = Field(description="Attributions.")
    articles: int


class SourceNetwork(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
