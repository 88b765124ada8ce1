"""Edits of an exported encoder graph that leave every output as it is and make it faster.

Needs the `onnx` package (the train extra); analysis only loads the edited file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def without_nan_guards(model: Any) -> int:
    """Remove each `Where(IsNaN(p), 0, p)` after an attention softmax, in place; returns how many.

    torch's export of scaled-dot-product attention guards the rows of a window whose keys are all masked,
    whose softmax is NaN. spinlens never runs such a row: each window is cut to its own tokens and a row
    always has its own token to attend to, so the guard never changes a value. On 2 cores it was an eighth
    of the encoder's time (docs/benchmarks.md, "Corpus runs"). `model`: an onnx.ModelProto (typed Any:
    onnx is the train extra's)."""
    graph = model.graph
    producers = {output: node for node in graph.node for output in node.output}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    graph_outputs = {output.name for output in graph.output}
    removed: list[Any] = []
    for test in [node for node in graph.node if node.op_type == "IsNaN"]:
        value = test.input[0]
        users = consumers.get(test.output[0], [])
        guards = [w for w in users if w.op_type == "Where" and list(w.input) == [test.output[0], w.input[1], value]
                  and _is_zero(producers.get(w.input[1]), graph, w.input[1]) and w.output[0] not in graph_outputs]
        if len(guards) != len(users) or test.output[0] in graph_outputs:
            continue  # the test is read elsewhere: not a guard to remove
        for guard in guards:
            for reader in consumers.get(guard.output[0], []):
                reader.input[:] = [value if name == guard.output[0] else name for name in reader.input]
            removed.append(guard)
        removed.append(test)
    read = {name for node in graph.node if node not in removed for name in node.input} | graph_outputs
    # The zeros the guards read, now read by nothing (onnxruntime warns of each unused one when it loads).
    zeros = {guard.input[1] for guard in removed if guard.op_type == "Where" and guard.input[1] not in read and guard.input[1] in producers}
    removed += [producers[name] for name in sorted(zeros)]
    for node in removed:
        graph.node.remove(node)
    return sum(node.op_type == "Where" for node in removed)


def _is_zero(producer: Any, graph: Any, name: str) -> bool:
    """Whether `name` is a constant whose every element is 0 (a Constant node's value or an initializer)."""
    from onnx import numpy_helper  # lazy: the train extra

    tensors = [attribute.t for attribute in producer.attribute if attribute.name == "value"] if producer is not None and producer.op_type == "Constant" else []
    tensors += [initializer for initializer in graph.initializer if initializer.name == name]
    return len(tensors) == 1 and not numpy_helper.to_array(tensors[0]).any()


def strip_file(path: Path) -> int:
    """without_nan_guards on the ONNX file at `path`, rewritten in place (checked first); returns how many."""
    import onnx  # lazy: the train extra

    model = onnx.load(str(path))
    count = without_nan_guards(model)
    if count:
        onnx.checker.check_model(model)
        onnx.save(model, str(path))
    return count
