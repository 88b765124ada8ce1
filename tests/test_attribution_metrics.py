import random
import subprocess
import sys

import pytest

from conftest import SHARED
from spinlens.evaluate.attribution import attribution_scores, cue_recall, tokens
from spinlens.formats.brat import format_brat, gold_file, parse_brat

TEXT = "The ministry said on Monday that “the talks failed”, according to RIA."
GOLD = parse_brat(
    "T1\tSource 0 12\tThe ministry\n"
    "T2\tCue 13 17\tsaid\n"
    "T3\tContent 33 51\t“the talks failed”\n"
    "T4\tAttribution 13 17\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "#1\tAnnotatorNotes T1\ta note\n"
)


def test_tokens_are_word_runs_or_single_symbols():
    sample = "U.S. “talks”"
    assert [sample[s:e] for s, e in tokens(sample)] == ["U", ".", "S", ".", "“", "talks", "”"]


def test_perfect_prediction_scores_one():
    scores = attribution_scores([(TEXT, GOLD, GOLD)])
    assert scores["micro"].f1 == 1.0 and scores["Cue"].gold == 1


def test_partial_prediction_by_hand():
    predicted = parse_brat("T1\tSource 4 12\tministry\nT2\tCue 13 20\tsaid on\n")
    scores = attribution_scores([(TEXT, GOLD, predicted)])
    assert scores["Source"].precision == 1.0 and scores["Source"].recall == pytest.approx(0.5)
    assert scores["Cue"].precision == pytest.approx(0.5) and scores["Cue"].recall == 1.0
    assert scores["Content"].f1 == 0.0
    assert cue_recall([(TEXT, GOLD, predicted)]) == (1, 1)


def test_discontinuous_spans_and_round_trip():
    content = format_brat(TEXT, [{"cue": (13, 17), "sources": [(0, 12)], "contents": [((33, 40), (41, 51))]}])
    document = parse_brat(content)
    assert "Content 33 40;41 51" in content
    assert sorted(document.role_spans("Content")) == [(33, 40), (41, 51)]
    assert document.events[0].of("Source") and document.events[0].of("Cue")


def test_gold_file_prefers_exact_name(tmp_path):
    (tmp_path / "a_zz01.ann").write_text("")
    assert gold_file(tmp_path, "a").name == "a_zz01.ann"
    (tmp_path / "a.ann").write_text("")
    assert gold_file(tmp_path, "a").name == "a.ann"


DEV = SHARED / "data" / "polnear" / "dev"


@pytest.mark.skipif(not (SHARED / "tools" / "attribution_score.py").exists() or not DEV.exists(), reason="shared data not beside the checkout")
def test_agrees_with_reference_scorer(tmp_path):
    rng = random.Random(3)
    texts = sorted((DEV / "text").glob("*.txt"))[:12]
    documents = []
    (tmp_path / "text").mkdir()
    for path in texts:
        gold = parse_brat(gold_file(DEV / "attributions", path.stem).read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        (tmp_path / "text" / path.name).write_text(text, encoding="utf-8")
        shifted = []
        for event in gold.events:
            get = lambda role, gold=gold, event=event: [gold.spans[r].pieces[0] for r in event.of(role) if r in gold.spans]
            if not get("Cue") or rng.random() < 0.3:
                continue
            def move(span):
                start = max(0, span[0] + rng.randint(-6, 6))
                return start, max(start + 1, span[1] + rng.randint(-6, 6))

            shifted.append({"cue": move(get("Cue")[0]), "sources": [move(s) for s in get("Source")], "contents": [move(c) for c in get("Content")]})
        prediction = format_brat(text, shifted)
        (tmp_path / f"{path.stem}.ann").write_text(prediction, encoding="utf-8")
        documents.append((text, gold, parse_brat(prediction)))
    ours = attribution_scores(documents)["micro"].f1
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "attribution_score.py"), str(tmp_path / "text"), str(DEV / "attributions"), str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout
    reference = float(next(line for line in out.splitlines() if line.startswith("micro")).split("F1=")[1])
    assert round(ours, 4) == reference
