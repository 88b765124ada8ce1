"""The `spinlens` command line. Most commands run in this process (Typer's CliRunner streams, the error
handling of the console script), so the models load once; a few run as `python -m spinlens` for what only
a fresh process shows: a cold start, signals, closed or full standard streams."""

import contextlib
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, PROPAGANDA
from servers import serve
from spinlens.cli import run
from spinlens.models import TECHNIQUES

PTC = FIXTURES / "ptc"
RUNNER = CliRunner()


class Result(NamedTuple):
    returncode: int
    stdout: bytes
    stderr: bytes


def spinlens(*args, stdin: bytes = b"", env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
    """`spinlens ARGS` in this process, through spinlens.cli.run as the console script goes (one-line errors,
    exit statuses); the models it loads stay loaded for the next call."""
    argv = list(map(str, args))
    with (
        RUNNER.isolation(input=stdin, env=env) as (stdout, stderr, _),
        mock.patch.object(sys, "argv", ["spinlens", *argv]),  # `train tune` records its command line
        contextlib.chdir(cwd or os.getcwd()),
    ):
        code = run(argv)
        sys.stdout.flush()
        sys.stderr.flush()
        return Result(code, stdout.getvalue(), stderr.getvalue())


def spinlens_process(*args, stdin: bytes = b"", **options) -> subprocess.CompletedProcess:
    """`python -m spinlens ARGS` in a fresh process: a cold start, with real standard streams."""
    return subprocess.run([sys.executable, "-m", "spinlens", *map(str, args)], input=stdin, capture_output=True, timeout=120, **options)


def test_help_lists_commands():
    result = spinlens_process("--help")
    assert result.returncode == 0
    for command in (b"analyze", b"predict", b"eval", b"train"):
        assert command in result.stdout


@pytest.mark.slow
def test_text_report_from_stdin():
    # Below the default threshold, so that the report has several fragments to number.
    result = spinlens_process("analyze", "-", "--min-probability", "0.3", stdin=PROPAGANDA.encode())
    assert result.returncode == 0, result.stderr
    report = result.stdout.decode()
    assert "technique fragments" in report and "]1" in report and "]2" in report  # plain text: numbered brackets


def test_json_report_from_file(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text(PROPAGANDA, encoding="utf-8")
    out = tmp_path / "report.json"
    result = spinlens("analyze", source, "--format", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "spinlens/analysis/v2" and data["text"] == PROPAGANDA
    assert {"start", "end", "technique", "score", "technique_score"} <= set(data["techniques"][0])
    assert data["sentences"] and 0 <= data["sentences"][0]["score"] <= 1


def test_html_report_from_html_file(tmp_path):
    out = tmp_path / "report.html"
    result = spinlens("analyze", FIXTURES / "article.html", "-f", "html", "-o", out)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "The Great Betrayal of Our Nation" in page
    assert 'class="frag"' in page and "Jane Writer" in page


def test_url_needs_allow_private_on_loopback():
    with serve() as base:
        refused = spinlens("analyze", base + "/article.html")
        allowed = spinlens("analyze", base + "/article.html", "--allow-private", "-f", "json")
    assert refused.returncode != 0 and b"non-public" in refused.stderr
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["url"] == base + "/article.html"


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.txt", b""),
        ("binary.bin", bytes(range(256)) * 40),
        ("latin1.txt", "Caf\xe9 society and the news of the day, as told to everyone in the town".encode("latin-1")),
        ("broken.html", b"<html><body><div><p>unclosed <b>tags <script>alert(1)</script>"),
        ("german.txt", "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Rechte der Mieter "
                       "stärken soll. Die Opposition kritisierte den Entwurf scharf und sprach von einem Versagen.".encode()),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = spinlens("analyze", path)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert result.stderr.decode().count("\n") == 1 and result.stderr.startswith(b"spinlens: error: ")


def test_huge_file_and_private_url_give_one_line_errors(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.write(b"word " * 4_000_000)
    for target in (huge, "http://127.0.0.1/", "http://169.254.169.254/latest/", tmp_path / "missing.txt"):
        result = spinlens("analyze", target)
        assert result.returncode == 2, target
        assert b"Traceback" not in result.stderr and result.stderr.decode().count("\n") == 1


def test_predict_and_eval_ptc(tmp_path):
    si, flc, tc = tmp_path / "si.txt", tmp_path / "flc.txt", tmp_path / "tc.txt"
    template = tmp_path / "template.txt"
    gold = [line.split("\t") for f in sorted((PTC / "labels").glob("*.labels")) for line in f.read_text().splitlines()]
    template.write_text("".join(f"{a}\t?\t{s}\t{e}\n" for a, _, s, e in gold))
    assert spinlens("predict", "ptc-si", "--articles", PTC / "articles", "--out", si).returncode == 0
    assert spinlens("predict", "ptc-flc", "--articles", PTC / "articles", "--out", flc).returncode == 0
    result = spinlens("predict", "ptc-tc", "--articles", PTC / "articles", "--template", template, "--out", tc)
    assert result.returncode == 0, result.stderr
    ids = {"728153988", "999000565", "761780613"}
    for line in si.read_text().splitlines():
        article, start, end = line.split("\t")
        assert article in ids and int(start) < int(end)
    answers = [line.split("\t") for line in tc.read_text().splitlines()]
    assert [(a, s, e) for a, _, s, e in answers] == [(a, s, e) for a, _, s, e in gold]
    assert all(t != "?" for _, t, _, _ in answers)

    end_to_end = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", PTC / "labels")
    assert end_to_end.returncode == 0, end_to_end.stderr
    assert [line.split()[0] for line in end_to_end.stdout.decode().splitlines() if not line.startswith(" ")] == ["SI", "TC", "FLC"]
    scored = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", PTC / "labels", "--predictions", tc, "--task", "tc")
    assert scored.returncode == 0 and scored.stdout.startswith(b"TC   micro-F1=")


def test_eval_refuses_predictions_without_task(tmp_path):
    result = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", PTC / "labels", "--predictions", PTC / "labels")
    assert result.returncode == 2 and b"--task" in result.stderr


def test_a_teacher_must_read_the_same_encoder_and_is_checked_before_training(tmp_path):
    for split in ("train", "dev"):
        (tmp_path / "polnear" / split / "text").mkdir(parents=True)
    other = tmp_path / "other"
    other.mkdir()
    (other / "tagger.onnx").write_bytes(b"x")
    (other / "card.json").write_text(json.dumps({"encoder": "2020-01-01+00000000"}))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "tagger.onnx").write_bytes(b"x")
    (broken / "card.json").write_text("[1, 2]")
    last_only = tmp_path / "last_only"  # the shipped encoder, but its last layer alone: the new tagger reads the middle one too
    last_only.mkdir()
    (last_only / "tagger.onnx").write_bytes(b"x")
    (last_only / "card.json").write_text(json.dumps({"encoder": json.loads((TECHNIQUES / "card.json").read_text())["version"]}))
    for teacher, said in ((tmp_path / "missing", b"has no tagger.onnx"), (other, b"reads technique model 2020-01-01+00000000"),
                          (broken, b"cannot read its card"), (last_only, b"reads the encoder's encodings, this tagger middle_encodings and encodings")):
        result = spinlens("train", "attribution", "--data", tmp_path / "polnear", "--out", tmp_path / "out", "--teacher", teacher)
        assert result.returncode == 2 and said in result.stderr, result.stderr
        assert result.stderr.decode().count("\n") == 1 and not (tmp_path / "out").exists()


def test_a_final_training_run_refuses_a_card_that_validated_nothing(tmp_path):
    (tmp_path / "ptc" / "train-articles").mkdir(parents=True)
    (tmp_path / "ptc" / "train-labels-task2-technique-classification").mkdir()
    final_card = tmp_path / "final.json"
    final_card.write_text(json.dumps({"data": {"validation_ids": []}, "selected_epoch": 5}))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    binary = tmp_path / "binary.json"
    binary.write_bytes(bytes(range(256)))
    for card in (final_card, broken, listed, binary, tmp_path / "missing.json"):
        result = spinlens("train", "techniques", "--data", tmp_path / "ptc", "--out", tmp_path / "out", "--final-from", card)
        assert result.returncode == 2 and b"not the card of a validated run" in result.stderr, result.stderr
        assert result.stderr.decode().count("\n") == 1 and not (tmp_path / "out").exists()


def test_tune_rechooses_decoding_on_the_validation_split_and_carries_it_to_a_final_run(tmp_path):
    import shutil

    from spinlens.models import TECHNIQUES

    data = tmp_path / "ptc"
    shutil.copytree(PTC / "articles", data / "train-articles")
    shutil.copytree(PTC / "labels", data / "train-labels-task2-technique-classification")
    ids = sorted(path.stem[len("article"):] for path in (PTC / "articles").glob("*.txt"))
    split, final = tmp_path / "split", tmp_path / "final"
    shutil.copytree(TECHNIQUES, split)
    shutil.copytree(TECHNIQUES, final)
    card = json.loads((split / "card.json").read_text())
    for key in ("decode", "recipe"):  # the shipped model is a final run; make it look like a split run
        del card[key]
    (split / "card.json").write_text(json.dumps({**card, "data": {**card["data"], "validation_ids": ids}}))

    assert spinlens("train", "tune", "--model", split, "--data", data).returncode == 0
    tuned = json.loads((split / "card.json").read_text())
    assert tuned["tuning_command"].startswith("spinlens train tune")
    assert 0.0 < tuned["validation"]["si"]["f1"] <= 1.0 and set(tuned["decode"]) == {"threshold", "merge_gap", "min_chars", "smooth"}
    assert "recipe" not in tuned

    assert spinlens("train", "tune", "--model", final, "--data", data, "--final-from", split / "card.json").returncode == 0
    carried = json.loads((final / "card.json").read_text())
    assert carried["decode"] == tuned["decode"] and carried["fragment_calibration"] == tuned["fragment_calibration"]
    assert carried["recipe"]["validation"] == tuned["validation"] and carried["recipe"]["data"]["validation_ids"] == ids


def test_tune_refuses_what_it_cannot_tune(tmp_path):
    import shutil

    from spinlens.models import TECHNIQUES

    (tmp_path / "ptc" / "train-articles").mkdir(parents=True)
    (tmp_path / "ptc" / "train-labels-task2-technique-classification").mkdir()
    (tmp_path / "articles-only" / "train-articles").mkdir(parents=True)
    final = tmp_path / "final"
    shutil.copytree(TECHNIQUES, final)
    before = (final / "card.json").read_bytes()
    elsewhere = tmp_path / "trained-elsewhere"  # a split run whose validation articles the data lacks
    shutil.copytree(TECHNIQUES, elsewhere)
    card = json.loads((elsewhere / "card.json").read_text())
    (elsewhere / "card.json").write_text(json.dumps({**card, "data": {**card["data"], "validation_ids": ["123"]}}))
    unvalidated = tmp_path / "recipe.json"
    unvalidated.write_text(json.dumps({"data": {"validation_ids": []}, "decode": {}}))
    binary = tmp_path / "binary.json"
    binary.write_bytes(bytes(range(256)))
    carries_nothing = tmp_path / "bare.json"  # validated, but without the settings a final run carries over
    carries_nothing.write_text(json.dumps({"data": {"validation_ids": ["1"]}}))
    cases = [
        ((tmp_path / "nothing",), b"cannot read a model card"),
        ((final,), b"trained on every article"),
        ((final, "--final-from", unvalidated), b"not the card of a validated run"),
        ((final, "--final-from", binary), b"not the card of a validated run"),
        ((final, "--final-from", carries_nothing), b"not the card of a validated run (the card lacks decode, flc_decode"),
        ((elsewhere,), b"lacks 1 of the model's validation articles (article123.txt)"),
    ]
    for (model, *rest), message in cases:
        result = spinlens("train", "tune", "--model", model, "--data", tmp_path / "ptc", *rest)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert result.stderr.decode().count("\n") == 1
    for command in (("tune", "--model", final), ("techniques", "--out", tmp_path / "out")):
        result = spinlens("train", *command, "--data", tmp_path / "articles-only")
        assert result.returncode == 2 and b"has no train-labels-task2-technique-classification/ folder" in result.stderr, result.stderr
        assert result.stderr.decode().count("\n") == 1
    assert (final / "card.json").read_bytes() == before


POLNEAR = FIXTURES / "polnear"


def test_predict_brat_and_eval_attribution(tmp_path):
    result = spinlens("predict", "brat", "--texts", POLNEAR / "text", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    document = (tmp_path / "geneva.ann").read_text(encoding="utf-8")
    for line in document.splitlines():
        assert line.startswith(("T", "E"))
    scored = spinlens("eval", "attribution", "--texts", POLNEAR / "text", "--gold", POLNEAR / "attributions", "--pred", tmp_path)
    assert scored.returncode == 0, scored.stderr
    lines = scored.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines[:4]] == ["Source", "Cue", "Content", "micro"]
    assert lines[-1] == "docs=1 missing_predictions=0"
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "geneva.ann").write_bytes((POLNEAR / "attributions" / "geneva_test.ann").read_bytes())
    perfect = spinlens("eval", "attribution", "--texts", POLNEAR / "text", "--gold", POLNEAR / "attributions", "--pred", tmp_path / "gold")
    assert b"micro    P=1.0000 R=1.0000 F1=1.0000" in perfect.stdout
    # a span past the text's end would mark every token after its start; a broken line would vanish
    (tmp_path / "geneva.ann").write_text(document + "T999\tCue 5 99999\tsaid\n", encoding="utf-8")
    past = spinlens("eval", "attribution", "--texts", POLNEAR / "text", "--gold", POLNEAR / "attributions", "--pred", tmp_path)
    assert past.returncode == 2 and b"does not lie within the text" in past.stderr and b"geneva.ann" in past.stderr
    (tmp_path / "geneva.ann").write_text(document + "T999\tSource 5 x\tsaid\n", encoding="utf-8")
    broken = spinlens("eval", "attribution", "--texts", POLNEAR / "text", "--gold", POLNEAR / "attributions", "--pred", tmp_path)
    assert broken.returncode == 2 and b"cannot read the offsets" in broken.stderr


def test_eval_of_predictions_scores_the_articles_folder(tmp_path):
    # --articles was required but ignored with --predictions: gold came from every label file (so one
    # article's predictions scored against three articles' gold), and a missing folder went unnoticed.
    import shutil

    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(PTC / "articles" / "article999000565.txt", one)
    gold = (PTC / "labels" / "article999000565.task2-TC.labels").read_text()
    (tmp_path / "perfect.txt").write_text(gold)
    scored = spinlens("eval", "ptc", "--articles", one, "--labels", PTC / "labels", "--predictions", tmp_path / "perfect.txt", "--task", "flc")
    assert scored.returncode == 0, scored.stderr
    assert b"FLC  P=1.0000 R=1.0000 F1=1.0000" in scored.stdout
    other = (PTC / "labels" / "article761780613.task2-TC.labels").read_text()
    (tmp_path / "other.txt").write_text(gold + other)
    stray = spinlens("eval", "ptc", "--articles", one, "--labels", PTC / "labels", "--predictions", tmp_path / "other.txt", "--task", "flc")
    assert stray.returncode == 2 and b"no article 761780613 among the articles" in stray.stderr
    missing = spinlens("eval", "ptc", "--articles", tmp_path / "nowhere", "--labels", PTC / "labels", "--predictions", tmp_path / "perfect.txt", "--task", "si")
    assert missing.returncode == 2 and b"is not a folder of articles" in missing.stderr
    task_alone = spinlens("eval", "ptc", "--articles", one, "--labels", PTC / "labels", "--task", "tc")
    assert task_alone.returncode == 2 and b"--task goes with --predictions" in task_alone.stderr


def test_brat_offsets_count_a_crlf_text_with_its_line_ends_read_as_newlines(tmp_path):
    # predict brat counted "\r\n" as two characters and eval (and the reference scorer) as one: every span
    # after the first line break was scored against the wrong tokens, and predict's own output refused.
    texts = tmp_path / "texts"
    texts.mkdir()
    lf = (POLNEAR / "text" / "geneva.txt").read_bytes().replace(b"\r\n", b"\n")
    assert lf.count(b"\n") > 3
    (texts / "geneva.txt").write_bytes(lf.replace(b"\n", b"\r\n"))
    assert spinlens("predict", "brat", "--texts", texts, "--out", tmp_path / "pred").returncode == 0
    predicted = (tmp_path / "pred" / "geneva.ann").read_text(encoding="utf-8")
    text = lf.decode()
    for line in predicted.splitlines():
        if line.startswith("T"):
            _, where, covered = line.split("\t")
            pieces = [tuple(map(int, piece.split())) for piece in where.split(" ", 1)[1].split(";")]
            assert " ".join(text[s:e] for s, e in pieces).replace("\n", " ") == covered
    scored = spinlens("eval", "attribution", "--texts", texts, "--gold", tmp_path / "pred", "--pred", tmp_path / "pred")
    assert scored.returncode == 0, scored.stderr
    assert b"micro    P=1.0000 R=1.0000 F1=1.0000" in scored.stdout


def test_a_gold_file_is_found_whatever_the_name_holds(tmp_path):
    # The gold lookup globbed the text's name, so "[1]" in it was a character class and the text was skipped.
    from spinlens.formats.brat import gold_file

    (tmp_path / "br [1] story_ab12.ann").write_text("")
    assert gold_file(tmp_path, "br [1] story") == tmp_path / "br [1] story_ab12.ann"


def test_json_report_carries_attributions_and_voice(tmp_path):
    result = spinlens("analyze", POLNEAR / "text" / "geneva.txt", "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data["attributions"], list) and isinstance(data["unattributed_sentences"], int)
    assert data["voice"]["author"] + data["voice"]["quoted"] == len(data["techniques"])
    for attribution in data["attributions"]:
        assert {"cue", "sources", "contents", "kind", "source_type", "speaker", "via", "score"} <= set(attribution)
        assert data["text"][attribution["cue"]["start"]:attribution["cue"]["end"]] == attribution["cue"]["text"]
    for technique in data["techniques"]:
        assert technique["voice"] in ("author", "quoted")


def test_analyze_with_another_technique_model_needs_its_tagger_or_no_attribution(tmp_path):
    import shutil
    from pathlib import Path

    from spinlens.models import ATTRIBUTION, TECHNIQUES

    other, tagger = tmp_path / "techniques", tmp_path / "attribution"
    shutil.copytree(TECHNIQUES, other)
    shutil.copytree(ATTRIBUTION, tagger)
    card = json.loads((other / "card.json").read_text())
    (other / "card.json").write_text(json.dumps({**card, "version": "2020-01-01+00000000"}))
    article = tmp_path / "texts" / "opinion.txt"  # quoted sources, so a working tagger finds attributions
    article.parent.mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "opinion.txt", article)

    refused = spinlens("analyze", article, "--format", "json", "--model", other)
    assert refused.returncode != 0 and b"--no-attribution" in refused.stderr and refused.stderr.decode().count("\n") == 1
    alone = spinlens("analyze", article, "--format", "json", "--model", other, "--no-attribution")
    assert alone.returncode == 0 and json.loads(alone.stdout)["attributions"] == []
    card = json.loads((tagger / "card.json").read_text())
    (tagger / "card.json").write_text(json.dumps({**card, "encoder": "2020-01-01+00000000"}))
    paired = spinlens("analyze", article, "--format", "json", "--model", other, "--attribution-model", tagger)
    assert paired.returncode == 0 and json.loads(paired.stdout)["attributions"]
    brat = spinlens("predict", "brat", "--texts", article.parent, "--out", tmp_path / "ann", "--model", other, "--attribution-model", tagger)
    assert brat.returncode == 0 and (tmp_path / "ann" / "opinion.ann").read_text()


def test_analyze_refuses_unreadable_model_folders_in_one_line(tmp_path):
    import shutil

    from spinlens.models import ATTRIBUTION, TECHNIQUES

    article = tmp_path / "article.txt"
    article.write_text(PROPAGANDA, encoding="utf-8")
    cases = []
    for broken, message in (("model.onnx", b"is not an ONNX model"), ("tokenizer.json", b"is not a tokenizers file"), ("card.json", b"cannot read it")):
        folder = tmp_path / f"techniques-{broken}"
        shutil.copytree(TECHNIQUES, folder)
        (folder / broken).write_bytes(b"\xff\x00 not a model")
        cases.append((("--model", folder, "--no-attribution"), message))
    tagger = tmp_path / "tagger"
    shutil.copytree(ATTRIBUTION, tagger)
    (tagger / "card.json").write_bytes(b"\xff")
    cases.append((("--attribution-model", tagger), b"cannot read it"))
    # A tagger folder asked for by name is used or refused, never skipped in silence.
    cases.append((("--attribution-model", tmp_path / "no-such-folder"), b"lacks tagger.onnx"))
    for options, message in cases:
        result = spinlens("analyze", article, "--format", "json", *options)
        assert result.returncode == 2 and message in result.stderr and result.stderr.decode().count("\n") == 1, (options, result.stderr)


def one_line_error(result, message: bytes) -> bool:
    return result.returncode == 2 and message in result.stderr and result.stderr.decode().count("\n") == 1


def test_ptc_inputs_that_are_not_utf8_are_named(tmp_path):
    import shutil

    articles = tmp_path / "articles"
    shutil.copytree(PTC / "articles", articles)
    (articles / "article123.txt").write_bytes("Caf\xe9 society".encode("latin-1"))
    named = b"article123.txt is not valid UTF-8 (byte 3)"
    template = tmp_path / "template.txt"
    template.write_text("999000565\t?\t0\t5\n")
    for command in (("predict", "ptc-si"), ("predict", "ptc-flc"), ("predict", "ptc-tc", "--template", template)):
        result = spinlens(*command, "--articles", articles, "--out", tmp_path / "out.txt")
        assert one_line_error(result, named), (command, result.stderr)
    assert one_line_error(spinlens("eval", "ptc", "--articles", articles, "--labels", PTC / "labels"), named)
    labels = tmp_path / "labels"
    shutil.copytree(PTC / "labels", labels)
    (labels / "article1.task2-TC.labels").write_bytes(b"1\tDoubt\xff\t0\t4\n")
    result = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", labels)
    assert one_line_error(result, b"article1.task2-TC.labels is not valid UTF-8 (byte 7)"), result.stderr


@pytest.mark.parametrize(
    "lines, message",
    [
        ("999000565\t?\t0\t5\n999000565\t?\t9\t4\n", b"template.txt: line 2: start 9 is not before end 4"),
        ("999000565\t?\t-3\t5\n", b"template.txt: line 1: start -3 is negative"),
        ("# comment\n999000565\t?\t0\t999999\n", b"template.txt: line 2: end 999999 is past the end of article 999000565"),
        ("123\t?\t0\t5\n", b"template.txt: line 1: no article 123 among the articles"),
        ("", b"template.txt has no template lines"),
    ],
)
def test_impossible_templates_are_refused(tmp_path, lines, message):
    template, out = tmp_path / "template.txt", tmp_path / "tc.txt"
    template.write_text(lines)
    result = spinlens("predict", "ptc-tc", "--articles", PTC / "articles", "--template", template, "--out", out)
    assert one_line_error(result, message), result.stderr
    assert not out.exists()


def test_outputs_that_cannot_be_written_give_one_line_errors(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(PROPAGANDA, encoding="utf-8")
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    tasks = tmp_path / "tasks.json"
    tasks.write_text('[{"data": {"text": "Some text."}, "annotations": [{"result": []}]}]')
    cases = [
        (("analyze", article, "-o", tmp_path), b"it is a folder"),
        (("analyze", article, "-f", "json", "-o", tmp_path), b"it is a folder"),
        (("analyze", article, "-f", "html", "-o", tmp_path / "missing" / "r.html"), b"there is no folder"),
        (("predict", "ptc-si", "--articles", PTC / "articles", "--out", tmp_path), b"it is a folder"),
        (("predict", "ptc-flc", "--articles", PTC / "articles", "--out", a_file / "flc.txt"), b"there is no folder"),
        (("predict", "brat", "--texts", POLNEAR / "text", "--out", a_file), b"cannot write"),
        (("import", "label-studio", tasks, "--out", a_file), b"cannot write"),
    ]
    for command, message in cases:
        result = spinlens(*command)
        assert one_line_error(result, message), (command, result.stderr)


def test_an_output_that_is_an_input_or_another_output_is_refused(tmp_path):
    # `analyze a.txt -o a.txt` replaced the article with its report, exit 0; so did a link to it, and
    # export with --fragments naming its --out kept only the fragments.
    article = tmp_path / "article.txt"
    article.write_text(PROPAGANDA, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(article)
    template = tmp_path / "template.txt"
    template.write_text("999000565\t?\t0\t10\n")
    cases = [
        ("analyze", article, "-o", article),
        ("analyze", tmp_path / "link.txt", "-f", "json", "-o", article),
        ("predict", "ptc-tc", "--articles", PTC / "articles", "--template", template, "--out", template),
        ("export", "--db", f"sqlite:///{tmp_path / 'none.db'}", "--format", "jsonl", "--out", tmp_path / "a.jsonl", "--fragments", tmp_path / "a.jsonl"),
    ]
    for command in cases:
        result = spinlens(*command)
        assert one_line_error(result, b"it is the same file as"), (command, result.stderr)
    assert article.read_text(encoding="utf-8") == PROPAGANDA and template.read_text() == "999000565\t?\t0\t10\n"


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_behind_standard_output_is_a_one_line_error(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(PROPAGANDA, encoding="utf-8")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as outside a terminal: what the
    # failed write left in the buffer was written again at exit, and the status became 120 with a second message
    for report, env in itertools.product(("json", "text"), (buffered, {**buffered, "PYTHONUNBUFFERED": "1"})):
        with open("/dev/full", "wb") as full:  # the text report wrote through Rich, past the check: an internal error
            result = subprocess.run([sys.executable, "-m", "spinlens", "analyze", str(article), "-f", report], stdout=full,
                                    stderr=subprocess.PIPE, timeout=120, env=env)
        assert result.returncode == 2 and result.stderr.decode().strip() == "spinlens: error: cannot write to standard output: No space left on device"


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_status_line_on_a_full_disk_is_a_one_line_error_and_the_work_is_kept(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "article.txt").write_text(PROPAGANDA, encoding="utf-8")
    db = tmp_path / "runs.db"
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "wb") as full:  # "done: 1 stored …" went through click's own flush: an internal error
        result = subprocess.run([sys.executable, "-m", "spinlens", "batch", str(tmp_path / "texts"), "--db", f"sqlite:///{db}", "--no-progress"],
                                stdout=full, stderr=subprocess.PIPE, timeout=120, env=buffered)
    assert result.returncode == 2 and result.stderr.decode().strip() == "spinlens: error: cannot write to standard output: No space left on device"
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_out_dash_is_standard_output(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(PROPAGANDA, encoding="utf-8")
    result = spinlens("analyze", article, "-f", "json", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["text"] == PROPAGANDA and not (tmp_path / "-").exists()


@pytest.mark.slow
def test_odd_inputs_and_outputs_give_one_line_errors(tmp_path):
    # Each of these was an internal error, a multi-line usage box, 5 GB of memory, or a lost article.
    articles = tmp_path / "arts"
    articles.mkdir()
    (articles / "article1.txt").write_text(PROPAGANDA, encoding="utf-8")
    cases = [
        (("predict", "ptc-si", "--articles", articles, "--out", articles / "article1.txt"), b"it is the same file as"),
        (("analyze", "/dev/zero"), b"larger than the limit"),
        (("analyze", tmp_path / ("a" * 300)), b"File name too long"),
        (("analyze", tmp_path / "new\nline.txt"), b"new\\nline.txt: no such file"),
        (("analyze", "--format", "xml", articles / "article1.txt"), b"Invalid value for '--format'"),
        (("nosuch",), b"No such command 'nosuch'"),
        (("batch", articles, "--workers", "99999999999"), b"Invalid value for '--workers'"),
        (("batch", articles, "--workers", "0", "--db", f"sqlite:///{tmp_path / 'w.db'}"), b"Invalid value for '--workers'"),
        (("batch", articles, "--batch-size", "0", "--db", f"sqlite:///{tmp_path / 'w.db'}"), b"Invalid value for '--batch-size'"),
        (("import", "label-studio", "/dev/zero", "--out", tmp_path / "ls"), b"/dev/zero: not a file"),
    ]
    for command, message in cases:
        result = spinlens(*command)
        assert one_line_error(result, message), (command, result.stderr)
    assert (articles / "article1.txt").read_text(encoding="utf-8") == PROPAGANDA
    closed = subprocess.run([sys.executable, "-m", "spinlens", "analyze", str(articles / "article1.txt"), "-f", "json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120, preexec_fn=lambda: os.close(1))
    assert closed.returncode == 2 and closed.stderr.strip() == b"spinlens: error: standard output is closed: give --out FILE"
    narrow = spinlens("analyze", articles / "article1.txt", env={"COLUMNS": "0"})
    assert narrow.returncode == 0 and b"[" in narrow.stdout  # COLUMNS=0 printed nothing, exit 0


def test_an_output_is_replaced_whole_and_a_link_to_it_kept(tmp_path):
    # The report was written into the file in place: a failed write left it empty.
    article = tmp_path / "article.txt"
    article.write_text(PROPAGANDA, encoding="utf-8")
    (tmp_path / "report.json").write_text("precious")
    (tmp_path / "report.json").chmod(0o600)
    (tmp_path / "link.json").symlink_to(tmp_path / "report.json")
    assert spinlens("analyze", article, "-f", "json", "-o", tmp_path / "link.json").returncode == 0
    assert (tmp_path / "report.json").stat().st_mode & 0o777 == 0o600  # its permissions kept
    assert (tmp_path / "link.json").is_symlink() and json.loads((tmp_path / "report.json").read_text())["text"] == PROPAGANDA
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "link.json", "report.json"]  # no partial file left
    assert spinlens("analyze", article, "-f", "json", "-o", "/dev/null").returncode == 0 and not Path("/dev/null").is_file()


def test_an_empty_source_is_said_to_be_empty():
    result = spinlens("analyze", "")
    assert one_line_error(result, b"the source is empty"), result.stderr


def test_eval_says_which_articles_lack_labels_and_when_it_scores_si_only(tmp_path):
    partial = tmp_path / "partial"  # 728153988 has an empty label file: labelled, without propaganda
    partial.mkdir()
    for name in ("article728153988.task2-TC.labels", "article999000565.task2-TC.labels"):
        (partial / name).write_bytes((PTC / "labels" / name).read_bytes())
    result = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", partial)
    assert result.returncode == 0 and result.stdout.startswith(b"SI ")
    assert result.stderr == f"spinlens: warning: 1 of 3 scored articles have no label file in {partial}; they count as free of propaganda\n".encode()
    si = tmp_path / "si.labels"
    si.write_text("".join(f"{a}\t{s}\t{e}\n" for f in sorted((PTC / "labels").glob("*.labels")) for a, _, s, e in (line.split("\t") for line in f.read_text().splitlines())))
    result = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", si)
    assert result.returncode == 0 and [line.split()[0] for line in result.stdout.decode().splitlines()] == ["SI"]
    assert b"has lines without a technique (SI form): scoring SI only" in result.stderr
    assert b"1 of 3 scored articles have no lines in" in result.stderr  # 728153988: no lines in one file


def test_analyze_help_fits_80_columns():
    import os

    env = {**os.environ, "COLUMNS": "80"}
    result = subprocess.run([sys.executable, "-m", "spinlens", "analyze", "--help"], capture_output=True, env=env, timeout=60)
    assert result.returncode == 0 and b"--attribution-model " in result.stdout and "…".encode() not in result.stdout


@pytest.mark.slow
def test_ctrl_c_says_interrupted_and_leaves_no_output(tmp_path):
    # typer turns Ctrl+C into exit status 130 without a word; an existing --out must stay as it was.
    import signal
    import time

    article = tmp_path / "long.txt"
    article.write_text((PROPAGANDA + "\n") * (300_000 // len(PROPAGANDA)), encoding="utf-8")
    (tmp_path / "out.json").write_text("precious")
    process = subprocess.Popen([sys.executable, "-m", "spinlens", "analyze", str(article), "-f", "json", "-o", str(tmp_path / "out.json")],
                               stderr=subprocess.PIPE, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and stderr == b"spinlens: interrupted\n"
    assert (tmp_path / "out.json").read_text() == "precious" and sorted(p.name for p in tmp_path.iterdir()) == ["long.txt", "out.json"]


def test_an_output_in_a_folder_that_takes_no_new_files_is_written_in_place(tmp_path, monkeypatch):
    # Writing beside the output needs a new file in its folder; a writable file in a folder that allows
    # none (a log folder, say) is still written, in place.
    from spinlens.cli import _util as cli

    out = tmp_path / "report.txt"
    out.write_text("old")
    import tempfile

    def refuse_partial(*args, **kwargs):  # the folder refuses the new file beside the output
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse_partial)
    cli._write(out, "new")
    assert out.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_export_refuses_to_write_over_its_database(tmp_path):
    # `export --db sqlite:///copy.db --out copy.db` replaced the database with the export, exit 0.
    from spinlens.store.db import Store

    Store(f"sqlite:///{tmp_path / 'copy.db'}").engine.dispose()
    database = (tmp_path / "copy.db").read_bytes()
    cases = [
        ("--db", f"sqlite:///{tmp_path / 'copy.db'}", "--out", tmp_path / "copy.db"),
        ("--db", f"sqlite:///{tmp_path / 'copy.db'}", "--out", tmp_path / "a.jsonl", "--fragments", tmp_path / "copy.db"),
        ("--db", "sqlite:///copy.db", "--out", "copy.db"),  # relative, as typed
        ("--out", "spinlens.db"),  # the default database, when there is one here
    ]
    (tmp_path / "spinlens.db").write_bytes(database)
    for options in cases:
        result = spinlens("export", "--format", "jsonl", *options, cwd=tmp_path)
        assert one_line_error(result, b"it is the same file as"), (options, result.stderr)
    assert (tmp_path / "copy.db").read_bytes() == database and (tmp_path / "spinlens.db").read_bytes() == database


def test_eval_ptc_refuses_tc_and_flc_lines_without_one_of_the_14_techniques(tmp_path):
    # Each scored 0 in silence: TC and FLC lines without a technique, and a misspelt technique.
    gold = (PTC / "labels" / "article999000565.task2-TC.labels").read_text()
    a, technique, start, end = gold.splitlines()[0].split("\t")
    (tmp_path / "si.txt").write_text(f"{a}\t{start}\t{end}\n")
    (tmp_path / "template.txt").write_text(f"{a}\t?\t{start}\t{end}\n")
    (tmp_path / "misspelt.txt").write_text(f"{a}\t{technique.lower()}\t{start}\t{end}\n")
    (tmp_path / "gold.labels").write_text(f"{a}\t{start}\t{end}\n")
    cases = [
        (PTC / "labels", "si.txt", "tc", b"si.txt: line 1: no technique"),
        (PTC / "labels", "template.txt", "flc", b"template.txt: line 1: no technique"),
        (PTC / "labels", "misspelt.txt", "tc", b"misspelt.txt: line 1: unknown technique " + repr(technique.lower()).encode()),
        (tmp_path / "gold.labels", "template.txt", "tc", b"gold.labels: line 1: no technique"),
    ]
    for labels, predictions, task, message in cases:
        result = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", labels, "--predictions", tmp_path / predictions, "--task", task)
        assert one_line_error(result, message), (predictions, task, result.stderr)
    si = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", PTC / "labels", "--predictions", tmp_path / "si.txt", "--task", "si")
    assert si.returncode == 0 and si.stdout.startswith(b"SI ")


def test_eval_ptc_refuses_a_predictions_folder_without_label_files(tmp_path):
    # It scored as a run that predicted nothing.
    (tmp_path / "pred.txt").write_text("999000565\t0\t5\n")
    result = spinlens("eval", "ptc", "--articles", PTC / "articles", "--labels", PTC / "labels", "--predictions", tmp_path, "--task", "si")
    assert one_line_error(result, f"no .labels files in {tmp_path}".encode()), result.stderr


def test_predict_refuses_article_ids_that_break_label_lines_and_says_what_a_folder_holds(tmp_path):
    for number, name in enumerate(("#7.txt", "a\tb.txt")):  # lines read as comments; an extra column
        articles = tmp_path / f"articles{number}"
        articles.mkdir()
        (articles / name).write_text(PROPAGANDA, encoding="utf-8")
        result = spinlens("predict", "ptc-si", "--articles", articles, "--out", tmp_path / "si.txt")
        assert one_line_error(result, b"would break its label lines"), result.stderr
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.md").write_text(PROPAGANDA, encoding="utf-8")
    result = spinlens("predict", "ptc-flc", "--articles", tmp_path / "empty", "--out", tmp_path / "flc.txt")
    assert one_line_error(result, b"no .txt articles in"), result.stderr
    assert not (tmp_path / "si.txt").exists() and not (tmp_path / "flc.txt").exists()
    usage = subprocess.run([sys.executable, "-m", "spinlens", "predict", "ptc-si", "--help"], capture_output=True, timeout=120,
                           env={**os.environ, "COLUMNS": "200"})
    assert b"Folder of article<ID>.txt files" in usage.stdout


def test_eval_attribution_refuses_repeated_ids_and_names_the_ann_file(tmp_path):
    for folder in ("text", "gold", "pred"):
        (tmp_path / folder).mkdir()
    (tmp_path / "text" / "a.txt").write_text("Trump said the economy is great today.\n")
    gold = tmp_path / "gold" / "a_ab12.ann"
    pred = tmp_path / "pred" / "a.ann"
    pred.write_text("T1\tCue 6 10\tsaid\n")

    def scored() -> Result:
        return spinlens("eval", "attribution", "--texts", tmp_path / "text", "--gold", tmp_path / "gold", "--pred", tmp_path / "pred")

    # a repeated id: the reader kept one span per id, so a line was silently left out
    gold.write_text("T1\tSource 0 5\tTrump\nT1\tCue 6 10\tsaid\n")
    assert one_line_error(scored(), f"{gold}: line 2: id T1 is used again (first on line 1)".encode())
    # a byte-order mark: the first line (here the source) was silently dropped, and recall 1.0
    gold.write_bytes("\ufeffT1\tSource 0 5\tTrump\nT2\tCue 6 10\tsaid\n".encode())
    result = scored()
    assert result.returncode == 0 and b"micro    P=1.0000 R=0.5000" in result.stdout, result.stderr
    # not UTF-8: the error named the text's stem ("a"), not the file
    pred.write_bytes(b"T1\tCue 6 10\ts\xffid\n")
    assert one_line_error(scored(), f"{pred} is not valid UTF-8 (byte 13)".encode())


def without(monkeypatch, *modules: str) -> None:
    """As after `pip install spinlens` without the extra that installs `modules`: importing one fails, and so
    does importing a spinlens module that imports one (dropped for the test where others imported it)."""
    import spinlens

    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)
    for package in ("store", "batch", "server"):
        if hasattr(spinlens, package):  # a failed import would leave another module object here
            monkeypatch.setattr(spinlens, package, getattr(spinlens, package))
    for name in [name for name in sys.modules if name.startswith(("spinlens.store", "spinlens.batch", "spinlens.server"))]:
        monkeypatch.delitem(sys.modules, name)


@pytest.mark.parametrize("command, missing, module, extra", [
    (("batch", "in.txt"), ("sqlalchemy",), "sqlalchemy", "corpus"),
    (("batch", "in.txt", "--engine", "dask"), ("distributed",), "distributed", "corpus"),
    (("export", "--format", "jsonl", "--out", "out.jsonl"), ("sqlalchemy",), "sqlalchemy", "corpus"),
    (("export", "--format", "parquet", "--out", "out.parquet"), ("pyarrow",), "pyarrow", "corpus"),
    (("import", "label-studio", "tasks.json", "--out", "out"), ("sqlalchemy",), "sqlalchemy", "corpus"),
    (("serve",), ("fastapi", "uvicorn"), "fastapi", "serve"),
    (("train", "techniques", "--data", "ptc", "--out", "out"), ("torch",), "torch", "train"),
    (("train", "attribution", "--data", "polnear", "--out", "out"), ("torch",), "torch", "train"),
])
def test_a_command_whose_extra_is_missing_names_the_extra_in_one_line(tmp_path, monkeypatch, command, missing, module, extra):
    # Without the corpus extra `batch`, `export` and `import` said "internal error: ModuleNotFoundError:
    # No module named 'sqlalchemy'"; `train` without torch made its --out folder, then said the same of torch.
    (tmp_path / "in.txt").write_text(PROPAGANDA, encoding="utf-8")
    (tmp_path / "tasks.json").write_text("[]", encoding="utf-8")
    for folder in ("ptc/train-articles", "ptc/train-labels-task2-technique-classification", "polnear/train/text", "polnear/dev/text"):
        (tmp_path / folder).mkdir(parents=True)
    before = sorted(tmp_path.rglob("*"))
    without(monkeypatch, *missing)
    result = spinlens(*command, cwd=tmp_path)
    name = " ".join(command[:2] if command[0] in ("import", "train") else command[:1])
    assert result.returncode == 2 and result.stderr.decode() == (
        f"spinlens: error: spinlens {name} needs the {extra} extra ({module} is not installed): pip install 'spinlens[{extra}]'\n")
    assert sorted(tmp_path.rglob("*")) == before  # no database, no output


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_a_new_output_file_gets_the_usual_permissions(tmp_path, umask):
    # mkstemp's 0600 stayed on every new --out file whatever the umask; a replaced file keeps its own.
    article = tmp_path / "article.txt"
    article.write_text(PROPAGANDA, encoding="utf-8")
    (tmp_path / "old.json").write_text("old")
    (tmp_path / "old.json").chmod(0o604)
    old = os.umask(umask)
    try:
        for out in ("new.json", "old.json"):
            assert spinlens("analyze", article, "-f", "json", "-o", tmp_path / out).returncode == 0
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (tmp_path / "old.json").stat().st_mode & 0o777 == 0o604


@pytest.mark.parametrize("command", ["batch", "export", "serve"])
def test_the_default_database_is_shown_whole_in_help_at_80_columns(command):
    # batch's help column was narrower than the URL: "(default: sqlite:///spinlen…".
    result = spinlens(command, "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0 and b"sqlite:///spinlens.db" in result.stdout and "…".encode() not in result.stdout
    assert max(len(line) for line in result.stdout.decode().splitlines()) <= 80
