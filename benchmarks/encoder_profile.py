"""Where the encoder's time goes, and how two encoder files compare on the same window.

    git show 58b7f3c:src/spinlens/models/techniques/model.onnx > /tmp/before.onnx
    python benchmarks/encoder_profile.py --model /tmp/before.onnx --compare src/spinlens/models/techniques/model.onnx

One window of 256 tokens (random word-piece ids, seed 0, attention mask all ones), one intra-op thread as
in a batch worker. Prints each operator type's share of the kernel time of --model (onnxruntime's
profile over 30 runs); with --compare, the fastest of 75 runs of each file, interleaved (15 rounds of 5
runs each), and whether the two files give the same outputs, bit for bit.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import onnxruntime

OUTPUTS = ["propaganda", "technique_logits", "encodings"]


def session(path: Path, profile_dir: str | None = None) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    if profile_dir is not None:
        options.enable_profiling = True
        options.profile_file_prefix = str(Path(profile_dir) / "profile")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--compare", type=Path, default=None)
    args = parser.parse_args()
    ids = np.random.RandomState(0).randint(1000, 30000, size=(1, 256)).astype(np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    with tempfile.TemporaryDirectory() as folder:
        profiled = session(args.model, folder)
        for _ in range(30):
            profiled.run(OUTPUTS, feed)
        events = json.loads(Path(profiled.end_profiling()).read_text())
    kernels: Counter[str] = Counter()
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            kernels[event["args"]["op_name"]] += event["dur"]
    total = sum(kernels.values())
    print(f"{args.model}: kernel time {total / 30 / 1000:.1f} ms a window\n\n| operator | share |\n|---|---|")
    for op, micros in kernels.most_common(12):
        print(f"| {op} | {100 * micros / total:.1f} % |")
    if args.compare is None:
        return
    sessions = {"model": session(args.model), "compare": session(args.compare)}
    same = all(np.array_equal(a, b) for a, b in zip(sessions["model"].run(OUTPUTS, feed), sessions["compare"].run(OUTPUTS, feed)))
    times: dict[str, list[float]] = {name: [] for name in sessions}
    for _ in range(15):
        for name, s in sessions.items():
            for _ in range(5):
                started = time.perf_counter()
                s.run(OUTPUTS, feed)
                times[name].append(time.perf_counter() - started)
    print(f"\nfastest of 75: --model {1000 * min(times['model']):.1f} ms, --compare {1000 * min(times['compare']):.1f} ms; "
          f"outputs the same bit for bit: {same}")


if __name__ == "__main__":
    main()
