"""Every text of the training corpora through the whole analysis and the three reports, with invariant checks.

    python benchmarks/real_texts.py --data ../shared/data [--limit N]

The texts: PTC train (ptc/train-articles, 371), PolNeAR train (polnear/train/text, 840) and dev
(polnear/dev/text, 84). Each is read as the CLI reads corpus texts (`spinlens predict brat`):
`Article(text, source=path)` with PTC's text exactly as in the file (byte-order mark and all) and
PolNeAR's with line ends read as "\\n"; one default Analyzer (techniques + attribution) analyses them one
at a time, and each analysis is rendered as JSON, as an HTML page and as the terminal report (plain, and
with colour fills as on a terminal). Checked on each: the analysis's text is the text as read (offsets
not shifted); every span (technique fragments, sentences, each attribution's cue, sources, contents, via
and speaker) lies inside the text, a TextSpan's text is text[start:end], and technique fragments, cues,
sources and contents are not empty; every score is a number in [0, 1]; voices and attribution indices
are consistent; the JSON reads back (Analysis.from_json) to an equal analysis. A SpinlensError is a
refusal, any other exception a crash (with its stage: read, analyse, json, html, terminal).

The same files are also read the way `spinlens analyze FILE` reads one (ingest.from_file, the checks for
user input included); that path's refusals and changed texts are listed for information only.

Exits 1 if any text crashed or broke an invariant.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
import traceback
from collections import Counter
from io import StringIO
from pathlib import Path

from rich.console import Console

from spinlens import ingest
from spinlens.errors import SpinlensError
from spinlens.formats.brat import read_text
from spinlens.formats.ptc import read_article
from spinlens.labels import TECHNIQUE_INDEX
from spinlens.pipeline import Analyzer
from spinlens.render.html import render_page
from spinlens.render.terminal import render
from spinlens.types import KINDS, SOURCE_TYPES, VOICES, Analysis, Article, TextSpan

# (name, folder under --data, reader): PTC offsets count every character of the file, PolNeAR's are read as BRAT texts.
CORPORA = (
    ("ptc-train", "ptc/train-articles", read_article),
    ("polnear-train", "polnear/train/text", read_text),
    ("polnear-dev", "polnear/dev/text", read_text),
)


def corpus_files(data: Path) -> list[tuple[str, Path, object]]:
    """(corpus, path, reader) for every text, corpus by corpus, sorted by name."""
    files = []
    for name, folder, reader in CORPORA:
        paths = sorted((data / folder).glob("*.txt"))
        if not paths:
            raise SystemExit(f"no .txt files in {data / folder}")
        files.extend((name, path, reader) for path in paths)
    return files


def _unit(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0.0 <= value <= 1.0


def problems(analysis: Analysis, text: str | None = None) -> list[str]:
    """What breaks an invariant in `analysis` (of `text`, when given): an empty list when nothing does."""
    found = []
    if text is not None and analysis.text != text:
        at = next((i for i, (a, b) in enumerate(zip(analysis.text, text)) if a != b), min(len(analysis.text), len(text)))
        found.append(f"the analysis's text differs from the input from character {at} "
                     f"({len(analysis.text)} vs {len(text)} characters): offsets would be shifted")
    n = len(analysis.text)
    parts: list[tuple[str, object, bool]] = []  # (where, span, must be non-empty)
    parts += [(f"techniques[{i}]", t, True) for i, t in enumerate(analysis.techniques)]
    parts += [(f"sentences[{i}]", s, True) for i, s in enumerate(analysis.sentences)]
    for i, a in enumerate(analysis.attributions):
        parts.append((f"attributions[{i}].cue", a.cue, True))
        parts += [(f"attributions[{i}].sources[{j}]", s, True) for j, s in enumerate(a.sources)]
        parts += [(f"attributions[{i}].contents[{j}]", s, True) for j, s in enumerate(a.contents)]
        parts += [(f"attributions[{i}].via[{j}]", s, True) for j, s in enumerate(a.via)]
        if a.speaker is not None:
            parts.append((f"attributions[{i}].speaker", a.speaker, True))
    for where, span, non_empty in parts:
        start, end = span.start, span.end
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= n):
            found.append(f"{where} {start!r}-{end!r} is outside the text of {n} characters")
            continue
        if non_empty and start == end:
            found.append(f"{where} is empty (at {start})")
        if isinstance(span, TextSpan) and span.text != analysis.text[start:end]:
            found.append(f"{where} {start}-{end} has text {span.text[:60]!r}, the article there {analysis.text[start:end][:60]!r}")
    scores = [(f"techniques[{i}].{name}", getattr(t, name)) for i, t in enumerate(analysis.techniques) for name in ("score", "technique_score")]
    scores += [(f"sentences[{i}].score", s.score) for i, s in enumerate(analysis.sentences)]
    scores += [(f"attributions[{i}].score", a.score) for i, a in enumerate(analysis.attributions)]
    found += [f"{where} is {value!r}, not in [0, 1]" for where, value in scores if not _unit(value)]
    for i, t in enumerate(analysis.techniques):
        if t.technique not in TECHNIQUE_INDEX:
            found.append(f"techniques[{i}].technique {t.technique!r} is unknown")
        if t.voice not in VOICES:
            found.append(f"techniques[{i}].voice {t.voice!r} is unknown")
        elif (t.voice == "quoted") != (t.attribution is not None):
            found.append(f"techniques[{i}] has voice {t.voice!r} and attribution {t.attribution!r}")
        elif t.attribution is not None and not (type(t.attribution) is int and 0 <= t.attribution < len(analysis.attributions)):
            found.append(f"techniques[{i}].attribution {t.attribution!r} is no index into {len(analysis.attributions)} attributions")
    for i, a in enumerate(analysis.attributions):
        if a.kind not in KINDS:
            found.append(f"attributions[{i}].kind {a.kind!r} is unknown")
        if a.source_type not in SOURCE_TYPES:
            found.append(f"attributions[{i}].source_type {a.source_type!r} is unknown")
    if not (type(analysis.unattributed_sentences) is int and analysis.unattributed_sentences >= 0):
        found.append(f"unattributed_sentences {analysis.unattributed_sentences!r} is not a count")
    return found


def round_trip_problem(analysis: Analysis, data: str) -> str | None:
    """None if the JSON `data` of `analysis` reads back to an equal analysis (or, failing equality, to the same JSON)."""
    try:
        back = Analysis.from_json(data)
    except ValueError as error:
        return f"the JSON does not read back: {error}"
    if back == analysis or back.to_json() == data:
        return None
    return "the JSON reads back to a different analysis"


def render_all(analysis: Analysis, text: str | None = None) -> tuple[str, list[str]]:
    """Every report of `analysis` (of `text`, when given), stage by stage (an exception propagates with
    `stage` set on it): its JSON, and the problems found with it (invariants and the round trip)."""
    stage = "json"
    try:
        data = analysis.to_json()
        found = problems(analysis, text)
        if (trip := round_trip_problem(analysis, data)) is not None:
            found.append(trip)
        stage = "html"
        page = render_page(analysis)
        if not page.rstrip().endswith("</html>"):
            found.append("the HTML page does not end with </html>")
        stage = "terminal"
        for console in (Console(file=StringIO(), force_terminal=False, width=100),  # a pipe or --out: brackets
                        Console(file=StringIO(), force_terminal=True, color_system="truecolor", width=100)):  # colour fills
            render(analysis, console)
    except Exception as error:
        error.stage = stage  # type: ignore[attr-defined]
        raise
    return data, found


def reason(message: str) -> str:
    """A refusal's message with its particulars (numbers, paths, quoted names) replaced, to count like with like."""
    message = re.sub(r"(/[^\s:]+)+", "PATH", message)
    message = re.sub(r"U\+[0-9A-F]{4,6}", "U+XXXX", message)
    return re.sub(r"\d[\d,.]*", "N", message)


def last_frames(error: BaseException, count: int = 3) -> str:
    frames = traceback.extract_tb(error.__traceback__)[-count:]
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None, help="at most this many texts of each corpus")
    args = parser.parse_args()

    files = corpus_files(args.data)
    if args.limit is not None:
        files = [f for name, _, _ in CORPORA for f in [f for f in files if f[0] == name][: args.limit]]
    analyzer = Analyzer()
    stats = {name: Counter() for name, _, _ in CORPORA}
    refusals = {name: Counter() for name, _, _ in CORPORA}
    user_refusals = {name: Counter() for name, _, _ in CORPORA}
    user_changed: dict[str, list[str]] = {name: [] for name, _, _ in CORPORA}
    crashes: list[tuple[str, str, str, BaseException]] = []  # corpus, file, stage, error
    violations: list[tuple[str, str, str]] = []  # corpus, file, problem
    analyse_seconds = render_seconds = 0.0
    started = time.perf_counter()
    for number, (corpus, path, reader) in enumerate(files, 1):
        counts = stats[corpus]
        counts["texts"] += 1
        stage = "read"
        try:
            text = reader(path)
            try:  # `spinlens analyze FILE`: for information only
                user = ingest.from_file(path)
                if user.text != text:
                    user_changed[corpus].append(path.name + (" (byte-order mark dropped)" if user.text == text.removeprefix("\ufeff") else ""))
            except SpinlensError as error:
                user_refusals[corpus][reason(str(error))] += 1
            article = Article(text, source=str(path))
            stage = "analyse"
            t0 = time.perf_counter()
            analysis = analyzer.analyze(article)
            t1 = time.perf_counter()
            analyse_seconds += t1 - t0
            counts["analysed"] += 1
            counts["techniques"] += len(analysis.techniques)
            counts["attributions"] += len(analysis.attributions)
            _, found = render_all(analysis, text)
            render_seconds += time.perf_counter() - t1
            if found:
                counts["violating texts"] += 1
                violations.extend((corpus, path.name, p) for p in found)
        except SpinlensError as error:
            counts["refused"] += 1
            refusals[corpus][f"{stage}: {reason(str(error))}"] += 1
        except Exception as error:
            counts["crashed"] += 1
            crashes.append((corpus, path.name, getattr(error, "stage", stage), error))
            print(f"CRASH {corpus} {path.name} [{getattr(error, 'stage', stage)}] {type(error).__name__}: {error}", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
        if number % 100 == 0:
            print(f"  {number}/{len(files)} texts, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started

    print("| corpus | texts | analysed | refused | crashed | texts with violations | technique fragments | attributions |")
    print("|---|---|---|---|---|---|---|---|")
    total = Counter()
    for name, _, _ in CORPORA:
        c = stats[name]
        total.update(c)
        print(f"| {name} | {c['texts']} | {c['analysed']} | {c['refused']} | {c['crashed']} | {c['violating texts']} | {c['techniques']:,} | {c['attributions']:,} |")
    print(f"| all | {total['texts']} | {total['analysed']} | {total['refused']} | {total['crashed']} | {total['violating texts']} | {total['techniques']:,} | {total['attributions']:,} |")
    print(f"\n{total['texts']} texts in {elapsed:.1f} s: {total['texts'] / elapsed:.2f} articles/s "
          f"(analysis {analyse_seconds:.1f} s, {total['analysed'] / max(analyse_seconds, 1e-9):.2f} articles/s; "
          f"JSON, HTML, terminal reports and checks {render_seconds:.1f} s).")
    for name, _, _ in CORPORA:
        for why, n in refusals[name].most_common():
            print(f"refused {name}: {n} × {why}")
    for corpus, file, stage, error in crashes:
        print(f"crash {corpus} {file} [{stage}] {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}  ({last_frames(error)})")
    for corpus, file, problem in violations:
        print(f"violation {corpus} {file}: {problem}")
    print("\nThe same files as `spinlens analyze FILE` reads them (ingest.from_file), for information:")
    for name, _, _ in CORPORA:
        refused = sum(user_refusals[name].values())
        print(f"  {name}: {refused} refused, {len(user_changed[name])} read with a different text"
              + "".join(f"; {n} × {why}" for why, n in user_refusals[name].most_common())
              + (f" ({', '.join(user_changed[name])})" if user_changed[name] else ""))
    sys.exit(1 if crashes or violations else 0)


if __name__ == "__main__":
    main()
