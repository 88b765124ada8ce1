"""Token-level attribution metrics (PolNeAR): P/R/F1 per role and micro over Source, Cue, Content.

A token is a maximal run of word characters or a single other non-space character; it has a role
when any of its characters lies inside a span of that role. Counts are pooled over documents.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..formats.brat import BratDocument, parse_brat, span_problem
from ..types import ROLES, Role

TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class RoleScore:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    gold: int


def tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def token_roles(token_spans: list[tuple[int, int]], document: BratDocument) -> dict[Role, set[int]]:
    starts = [s for s, _ in token_spans]
    labelled: dict[Role, set[int]] = {role: set() for role in ROLES}
    for role in ROLES:
        for a, b in document.role_spans(role):
            i = max(bisect.bisect_right(starts, a) - 1, 0)
            while i < len(token_spans) and token_spans[i][0] < b:
                if token_spans[i][1] > a:
                    labelled[role].add(i)
                i += 1
    return labelled


def _score(tp: int, n_pred: int, n_gold: int) -> RoleScore:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return RoleScore(p, r, 2 * p * r / (p + r) if p + r else 0.0, tp, n_pred, n_gold)


def attribution_scores(documents: Iterable[tuple[str, BratDocument, BratDocument]]) -> dict[str, RoleScore]:
    """documents: (text, gold, predicted). Returns a score per role and "micro"."""
    counts = {role: [0, 0, 0] for role in ROLES}
    for text, gold, predicted in documents:
        token_spans = tokens(text)
        g, p = token_roles(token_spans, gold), token_roles(token_spans, predicted)
        for role in ROLES:
            counts[role][0] += len(g[role] & p[role])
            counts[role][1] += len(p[role])
            counts[role][2] += len(g[role])
    result: dict[str, RoleScore] = {role: _score(*counts[role]) for role in ROLES}
    result["micro"] = _score(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return result


def cue_recall(documents: Iterable[tuple[str, BratDocument, BratDocument]]) -> tuple[int, int]:
    """(gold attributions whose cue overlaps a predicted cue, gold attributions with a cue)."""
    found = total = 0
    for _, gold, predicted in documents:
        predicted_cues = predicted.role_spans("Cue")
        for event in gold.events:
            cues = [piece for ref in event.of("Cue") if ref in gold.spans for piece in gold.spans[ref].pieces]
            if not cues:
                continue
            total += 1
            found += any(a < d and c < b for a, b in cues for c, d in predicted_cues)
    return found, total


def checked_document(content: str, length: int, name: object) -> BratDocument:
    """A BRAT file's `content` parsed for scoring against a text of `length` characters; a ValueError that
    names the file (`name`) and its first line that is not a span of the text, or repeats an id: parse_brat
    skips such lines, and a broken file would score as a sparse one."""
    if problem := span_problem(content, length):
        raise ValueError(f"{name}: {problem}")
    return parse_brat(content)


def score_lines(documents: Sequence[tuple[str, BratDocument, BratDocument]], missing: int) -> list[str]:
    """The report of `spinlens eval attribution`: P/R/F1 per role and micro, the share of gold cues found,
    and the number of documents scored (`missing`: how many had no prediction file, scored as empty)."""
    lines = [f"{role:8s} P={r.precision:.4f} R={r.recall:.4f} F1={r.f1:.4f}" for role, r in attribution_scores(documents).items()]
    found, total = cue_recall(documents)
    lines.append(f"cues found: {found}/{total} = {found / total if total else 0.0:.4f} of gold attributions")
    lines.append(f"docs={len(documents)} missing_predictions={missing}")
    return lines
