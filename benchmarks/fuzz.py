"""Mutated real texts through the analysis and its reports: each must be analysed or refused, never crash.

    python benchmarks/fuzz.py --data ../shared/data [--cases 10000] [--seed 0] [--crashes DIR]
    python benchmarks/fuzz.py --data ../shared/data --seed 0 --only 1234        # one case again, its traceback printed
    python benchmarks/fuzz.py --minimize DIR/case-01234.json                   # shorten a saved crash

Case i is derived from (seed, i) alone, so any case can be rebuilt with --only. It takes an excerpt (at
most --max-chars characters) of a text of the training corpora (PTC train, PolNeAR train and dev, as
benchmarks/real_texts.py reads them) and mutates it: cuts at random places, mid-word and mid-quote;
duplicated paragraphs; straight quotes made curly, guillemets and others; NBSP and other spaces for
spaces; zero-width characters, joiners and bidi marks; emoji; combining marks; control characters (C0,
DEL, C1); other line ends (CRLF, CR, U+2028, NEL …); one long line; ALL CAPS; markup; lone surrogates;
or it replaces the text with one made only of quotes, with "he said" a hundred times, with nothing or
whitespace only; a quarter of the cases mix several mutations. Even cases are given to Analyzer.analyze as
a string (the checks for user input first), odd ones as an Article (as benchmarks and batches pass them,
only the length, surrogate and binary checks), some with a mutated title.

Each analysis is rendered as JSON (read back and compared), HTML and the terminal report (--json-only:
JSON alone), and checked as in real_texts.py (spans inside the text with their text, scores in [0, 1]).
A SpinlensError is a refusal; any other exception, or a case running past --case-timeout, is a crash,
saved to DIR/case-NNNNN.json (the text and the traceback) for reproduction. A broken invariant is
saved there too. Exits 1 on any crash or broken invariant.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from random import Random

from real_texts import corpus_files, last_frames, reason, render_all
from spinlens.errors import SpinlensError
from spinlens.pipeline import Analyzer
from spinlens.types import Article

QUOTES = '"“”‘’\'«»‹›„‚「」『』'
PAIRS = [("“", "”"), ("”", "“"), ("«", "»"), ("»", "«"), ("« ", " »"), ("„", "“"), ("‹", "›"), ("「", "」"), ("'", "'"), ("‘", "’"), ("“", "“")]
SPACES = ["\u00a0", "\u00a0", "\u00a0", "\u2009", "\u202f", "\u2002", "\u2003", "\u3000", "\u205f", "\u1680", "\t"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u061c",
             "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u034f", "\ufe0f"]
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇺🇸", "🏳️‍🌈", "1️⃣", "❤️", "🤔", "💯", "🔥🔥🔥", "🙏🏿", "𝐁𝐫𝐞𝐚𝐤𝐢𝐧𝐠", "𝓽𝓱𝓮", "🧑‍⚖️", "©️", "™"]
LINE_ENDS = ["\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\n\n\n", " \n"]
MARKUP = ["[bold red]", "[/]", "[link=http://x]", ":thumbs_up:", ":smile:", "<script>alert(1)</script>", "</html>", "{{ x }}",
          "{% if %}", "&amp;", "&#x202e;", "<b>", "**", "\\", "${x}", "%s", "{0}", "\x1b[31m", "`", "]]>"]
HE_SAID = ["he said. ", "He said ", '"Yes," he said. ', "he said, ", "said ", "according to ", "“No,” she said. ",
           "he said he said ", "They said. ", "he told reporters. ", '" he said "', "he said\n"]
FOREIGN = ["Der Präsident sagte, dass", "Le président a dit que", "El presidente dijo que", "رئيس الوزراء قال", "総理大臣は言った",
           "Президент сказал", "ראש הממשלה אמר", "प्रधानमंत्री ने कहा"]


class CaseTimeout(Exception):
    """A case ran past --case-timeout seconds."""


def _positions(rng: Random, text: str, count: int) -> list[int]:
    return sorted(rng.randint(0, len(text)) for _ in range(count))


def _insert(rng: Random, text: str, choices: list[str], count: int) -> str:
    out, last = [], 0
    for at in _positions(rng, text, count):
        out += [text[last:at], rng.choice(choices)]
        last = at
    return "".join(out) + text[last:]


def cut(rng: Random, text: str) -> str:
    """Cut at random places: the start, the end or both, inside a word or just inside a quotation."""
    how = rng.choice(["end", "start", "both", "word", "quote", "quote-end"])
    if how == "word" and (words := [m.start() for m in re.finditer(r"\w{4,}", text)]):
        at = rng.choice(words) + rng.randint(1, 3)
        return text[:at] if rng.random() < 0.7 else text[at:]
    if how.startswith("quote") and (quotes := [i for i, c in enumerate(text) if c in QUOTES]):
        at = rng.choice(quotes) + (1 if how == "quote" else 0) + rng.randint(0, 12)
        return text[:at] if rng.random() < 0.7 else text[at:]
    a, b = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
    return {"end": text[:b], "start": text[a:], "both": text[a:b]}.get(how, text[:b])


def duplicate(rng: Random, text: str) -> str:
    lines = text.split("\n")
    if rng.random() < 0.25:
        return (text + rng.choice(["\n", "\n\n", " ", ""])) * rng.randint(2, 3)
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(lines))
        lines[i:i] = [lines[i]] * rng.randint(1, 4)
    return "\n".join(lines)


def curly(rng: Random, text: str) -> str:
    """Straight quotes to a pair of other quotes, alternating (so an odd count leaves one unbalanced)."""
    opening, closing = rng.choice(PAIRS)
    out, inside = [], False
    for c in text:
        if c == '"' or (c in "“”" and rng.random() < 0.5):
            out.append(closing if inside else opening)
            inside = not inside
        elif c == "'" and rng.random() < 0.5:
            out.append(rng.choice("’‘′"))
        else:
            out.append(c)
    if rng.random() < 0.3:  # a stray quote somewhere
        return _insert(rng, "".join(out), list(QUOTES), rng.randint(1, 3))
    return "".join(out)


def spaces(rng: Random, text: str) -> str:
    space, share = rng.choice(SPACES), rng.choice([1.0, 0.5, 0.1])
    return "".join(space if c == " " and rng.random() < share else c for c in text)


def invisible(rng: Random, text: str) -> str:
    return _insert(rng, text, rng.choice([INVISIBLE, INVISIBLE[:5], INVISIBLE[6:18]]), rng.choice([1, 3, 20, 200]))


def emoji(rng: Random, text: str) -> str:
    return _insert(rng, text, EMOJI, rng.choice([1, 5, 40]))


def combining(rng: Random, text: str) -> str:
    marks = [chr(c) for c in range(0x300, 0x370)] + ["\u20dd", "\u0488", "\u1ab0", "\ufe20"]
    heavy = rng.random() < 0.2
    out = [rng.choice(marks)] if rng.random() < 0.2 else []  # one before any letter
    for c in text:
        out.append(c)
        if c.isalpha() and rng.random() < (0.5 if heavy else 0.05):
            out.extend(rng.choice(marks) for _ in range(rng.randint(1, 8 if heavy else 2)))
    return "".join(out)


def control(rng: Random, text: str) -> str:
    pool = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
    if rng.random() < 0.5:
        pool = [c for c in pool if c != "\x00"]  # NUL alone makes it binary
    return _insert(rng, text, pool, rng.choice([1, 2, 5, 30]))


def line_ends(rng: Random, text: str) -> str:
    return text.replace("\n", rng.choice(LINE_ENDS))


def long_line(rng: Random, text: str) -> str:
    return text.replace("\n", rng.choice([" ", "", "  "]))


def caps(rng: Random, text: str) -> str:
    return rng.choice([str.upper, str.upper, str.lower, str.swapcase, str.title])(text)


def markup(rng: Random, text: str) -> str:
    return _insert(rng, text, MARKUP, rng.choice([1, 5, 30]))


def surrogates(rng: Random, text: str) -> str:
    return _insert(rng, text, [chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xD83D, 0xDE00)], rng.randint(1, 3))


def foreign(rng: Random, text: str) -> str:
    return _insert(rng, text, FOREIGN, rng.choice([1, 3, 20]))


def long_word(rng: Random, text: str) -> str:
    word = rng.choice(["a", "ab", "Trump", "-", ".", "http://example.com/", "U.S."]) * rng.randint(100, 1500)
    at = rng.randint(0, len(text))
    return text[:at] + word + text[at:]


MUTATIONS = {f.__name__: f for f in (cut, duplicate, curly, spaces, invisible, emoji, combining, control, line_ends,
                                     long_line, caps, markup, surrogates, foreign, long_word)}
MIXABLE = [name for name in MUTATIONS if name != "surrogates"]  # one lone surrogate decides the outcome


def only_quotes(rng: Random) -> str:
    pool = rng.choice([QUOTES, '"', "“”", "'\"", QUOTES + " \n", '" "'])
    return "".join(rng.choice(pool) for _ in range(rng.choice([1, 2, 7, 100, 2000])))


def he_said(rng: Random) -> str:
    return rng.choice(HE_SAID) * rng.choice([100, 100, 300])


def blank(rng: Random) -> str:
    return rng.choice(["", " ", "\n", "\n\n\n", " \t\n", "\u00a0", "\u3000\u2003", "\ufeff", "\u200b" * 10, "\r\n", "\x00", "\t" * 50])


SYNTHETIC = {"only_quotes": only_quotes, "he_said": he_said, "blank": blank}


def excerpt(rng: Random, text: str, max_chars: int) -> str:
    if len(text) <= max_chars and rng.random() < 0.3:
        return text
    length = rng.randint(min(200, max_chars), max_chars)
    start = rng.randint(0, max(0, len(text) - length))
    if rng.random() < 0.5:  # from a line's start
        start = text.rfind("\n", 0, start) + 1
    return text[start : start + length]


def make_case(texts: list[tuple[str, str]], seed: int, case: int, max_chars: int) -> dict:
    """Case number `case` of `seed`: its text, what was done to it, and how it is passed."""
    rng = Random(f"spinlens-fuzz/{seed}/{case}")
    name, source = texts[rng.randrange(len(texts))]
    roll = rng.random()
    if roll < 0.03:
        kind = rng.choice(list(SYNTHETIC))
        mutations, text = [kind], SYNTHETIC[kind](rng)
        if kind == "he_said" and rng.random() < 0.5:  # inside an article
            base = excerpt(rng, source, max_chars // 2)
            at = rng.randint(0, len(base))
            text = base[:at] + text + base[at:]
    else:
        text = excerpt(rng, source, max_chars)
        if roll < 0.75:
            mutations = [rng.choice(list(MUTATIONS))]
        else:
            mutations = rng.sample(MIXABLE, rng.randint(2, 4))
        for mutation in mutations:
            text = MUTATIONS[mutation](rng, text)
    text = text[: max_chars * 2]  # duplicates and inserts stay "a few thousand characters"
    as_article = case % 2 == 1
    title = None
    if as_article and rng.random() < 0.3:
        title = MUTATIONS[rng.choice(MIXABLE)](rng, source.split("\n", 1)[0][:200])
    return {"case": case, "seed": seed, "source": name, "mutations": mutations, "as_article": as_article, "title": title, "text": text}


def run_case(analyzer: Analyzer, spec: dict, json_only: bool) -> tuple[str, object]:
    """("analysed", None), ("refused", message), ("crash", exception) or ("violation", problems)."""
    stage = "analyse"
    try:
        item = Article(spec["text"], title=spec["title"]) if spec["as_article"] else spec["text"]
        analysis = analyzer.analyze(item)
        if json_only:
            from real_texts import problems, round_trip_problem

            data = analysis.to_json()
            found = problems(analysis, spec["text"])
            if (trip := round_trip_problem(analysis, data)) is not None:
                found.append(trip)
        else:
            _, found = render_all(analysis, spec["text"])
    except SpinlensError as error:
        return "refused", str(error)
    except Exception as error:  # CaseTimeout too
        if not hasattr(error, "stage"):
            error.stage = stage  # type: ignore[attr-defined]
        return "crash", error
    return ("violation", found) if found else ("analysed", None)


def signature(error: BaseException) -> tuple[str, str, str]:
    """What makes two crashes the same: the exception's type, stage and innermost frame."""
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f"{Path(frame.filename).name}:{frame.name}" if frame else "?"
    return type(error).__name__, getattr(error, "stage", "?"), where


def first_line(error: BaseException) -> str:
    lines = str(error).splitlines()
    return lines[0][:160] if lines else ""


def save(folder: Path, spec: dict, what: str, detail: object) -> Path:
    record = dict(spec, outcome=what)
    if isinstance(detail, BaseException):
        record.update(error_type=type(detail).__name__, message=str(detail), stage=getattr(detail, "stage", "?"),
                      traceback="".join(traceback.format_exception(type(detail), detail, detail.__traceback__)))
    else:
        record["problems"] = detail
    path = folder / f"case-{spec['case']:05d}.json"
    path.write_text(json.dumps(record, ensure_ascii=True, indent=1))  # ASCII escapes carry lone surrogates
    try:  # the text as it is, where it can be UTF-8 (lone surrogates cannot)
        (folder / f"case-{spec['case']:05d}.txt").write_bytes(spec["text"].encode("utf-8"))
    except UnicodeEncodeError:
        pass
    return path


def minimize(analyzer: Analyzer, path: Path, budget: float, json_only: bool) -> None:
    """Shorten a saved crash's text (lines, then words, then characters) while it crashes the same way."""
    spec = json.loads(path.read_text())
    what, error = run_case(analyzer, spec, json_only)
    if what != "crash":
        raise SystemExit(f"{path}: case {spec['case']} does not crash now ({what})")
    wanted = signature(error)
    deadline = time.monotonic() + budget

    def crashes(text: str) -> bool:
        outcome, e = run_case(analyzer, dict(spec, text=text), json_only)
        return outcome == "crash" and signature(e) == wanted

    text = spec["text"]
    for split in (r"(?<=\n)", r"(?<=\s)", r"(?s)(?<=.)"):
        parts = [p for p in re.split(split, text) if p]
        size = max(1, len(parts) // 2)
        while size >= 1 and time.monotonic() < deadline:
            i, removed = 0, False
            while i < len(parts) and time.monotonic() < deadline:
                shorter = parts[:i] + parts[i + size :]
                if shorter and crashes("".join(shorter)):
                    parts, removed = shorter, True
                else:
                    i += size
            if not removed:
                size //= 2
        text = "".join(parts)
    spec["text"] = text
    _, error = run_case(analyzer, spec, json_only)
    out = path.with_name(path.stem + ".min.json")
    out.write_text(json.dumps(dict(spec, minimized_from=str(path)), ensure_ascii=True, indent=1))
    print(f"{wanted}: {len(json.loads(path.read_text())['text'])} -> {len(text)} characters, as_article={spec['as_article']}, title={spec['title']!r}")
    print(f"text: {text!r}")
    print("".join(traceback.format_exception(type(error), error, error.__traceback__)[-6:]))
    print(f"written to {out}")


def _alarm(signum, frame):  # noqa: ARG001
    raise CaseTimeout("the case ran past --case-timeout")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-chars", type=int, default=3000, help="length of the excerpt each case starts from, at most")
    parser.add_argument("--crashes", type=Path, default=Path("/tmp/spinlens-fuzz-crashes"))
    parser.add_argument("--case-timeout", type=float, default=60.0, help="seconds; a case running longer is a crash")
    parser.add_argument("--json-only", action="store_true", help="render JSON only, not the HTML page and terminal report")
    parser.add_argument("--only", type=int, default=None, help="run this case alone and print its text and outcome")
    parser.add_argument("--minimize", type=Path, default=None, help="a saved case-NNNNN.json: shorten its text while it crashes alike")
    parser.add_argument("--minimize-seconds", type=float, default=300.0)
    args = parser.parse_args()

    analyzer = Analyzer()
    if args.minimize is not None:
        minimize(analyzer, args.minimize, args.minimize_seconds, args.json_only)
        return
    if args.data is None:
        parser.error("--data is required")
    texts = [(f"{corpus}/{path.name}", reader(path)) for corpus, path, reader in corpus_files(args.data)]
    signal.signal(signal.SIGALRM, _alarm)
    if args.only is not None:
        spec = make_case(texts, args.seed, args.only, args.max_chars)
        what, detail = run_case(analyzer, spec, args.json_only)
        print(json.dumps({k: v for k, v in spec.items() if k != "text"}, ensure_ascii=False), f"\ntext: {spec['text']!r}\n-> {what}")
        if isinstance(detail, BaseException):
            traceback.print_exception(type(detail), detail, detail.__traceback__)
        elif detail:
            print(detail)
        sys.exit(1 if what in ("crash", "violation") else 0)

    args.crashes.mkdir(parents=True, exist_ok=True)
    for old in [*args.crashes.glob("case-*.json"), *args.crashes.glob("case-*.txt")]:  # a former run's
        old.unlink()
    analyzer.analyze("The model is loaded before the first timed case, he said.")
    outcomes: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    crashes: dict[tuple[str, str, str], list] = {}  # signature -> [count, first line, first case, saved file, frames]
    violations: Counter[str] = Counter()
    by_mutation: dict[str, Counter[str]] = {}
    seconds: list[float] = []
    started = time.perf_counter()
    for case in range(args.cases):
        spec = make_case(texts, args.seed, case, args.max_chars)
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, args.case_timeout)
        try:
            what, detail = run_case(analyzer, spec, args.json_only)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds.append(time.perf_counter() - t0)
        outcomes[what] += 1
        for mutation in spec["mutations"]:
            by_mutation.setdefault(mutation, Counter())[what] += 1
        if what == "refused":
            refused[reason(detail).split(":")[0][:90]] += 1
        elif what == "crash":
            key = signature(detail)
            if key not in crashes:
                saved = save(args.crashes, spec, what, detail)
                crashes[key] = [0, first_line(detail), case, saved, last_frames(detail, 4)]
                print(f"CRASH case {case} {key}: {first_line(detail)} -> {saved}", file=sys.stderr, flush=True)
            crashes[key][0] += 1
        elif what == "violation":
            for problem in detail:
                violations[reason(problem)[:120]] += 1
            if outcomes["violation"] <= 50:
                save(args.crashes, spec, what, detail)
        if (case + 1) % 500 == 0:
            print(f"  {case + 1}/{args.cases} cases, {time.perf_counter() - started:.0f} s, {dict(outcomes)}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started

    ordered = sorted(seconds)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    print(f"{args.cases} cases (seed {args.seed}, excerpts of at most {args.max_chars} characters): {outcomes['analysed']} analysed, "
          f"{outcomes['refused']} refused, {outcomes['crash']} crashed, {outcomes['violation']} with broken invariants")
    print(f"time per case: p50 {p(0.5) * 1000:.0f} ms, p99 {p(0.99) * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms; "
          f"total {elapsed:.0f} s ({args.cases / elapsed:.1f} cases/s, mean {statistics.mean(seconds) * 1000:.0f} ms)")
    print("\nrefused, by message:")
    for why, n in refused.most_common():
        print(f"  {n:6d}  {why}")
    print("\ncases by mutation (a mixed case counts under each of its mutations):")
    for mutation, counts in sorted(by_mutation.items()):
        print(f"  {mutation:12s} " + ", ".join(f"{k} {counts[k]}" for k in ("analysed", "refused", "crash", "violation") if counts[k]))
    print(f"\ncrashes ({len(crashes)} distinct):" if crashes else "\nno crashes")
    for (kind, stage, where), (n, line, case, saved, frames) in sorted(crashes.items(), key=lambda kv: -kv[1][0]):
        print(f"  {n:6d}  {kind} [{stage}] at {where}: {line}\n          first case {case}, saved to {saved}; {frames}")
    if violations:
        print("\nbroken invariants:")
        for what, n in violations.most_common():
            print(f"  {n:6d}  {what}")
    sys.exit(1 if crashes or violations else 0)


if __name__ == "__main__":
    main()
