"""Edits of an exported encoder graph that leave every output as it is: one makes it faster, one exposes a
middle layer's encodings beside the last layer's for the attribution tagger.

Needs the `onnx` package (the train extra); analysis only loads the edited file.
"""

from __future__ import annotations

from collections.abc import Callable
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


MIDDLE_OUTPUT = "middle_encodings"  # the graph output that exposes a middle layer
MIDDLE_LAYER = 3  # which (0-based: the 4th of MiniLM's 6): on PolNeAR dev the tagger read it best (docs/benchmarks.md)


def _layer_output(layer: int) -> str:
    """The tensor torch's export names for the output of the encoder's layer `layer` (after its LayerNorm)."""
    return f"/inner/encoder/encoder/layer.{layer}/output/LayerNorm/LayerNormalization_output_0"


def with_middle_output(model: Any, layer: int = MIDDLE_LAYER) -> bool:
    """Make the output of the encoder's layer `layer` a graph output named MIDDLE_OUTPUT, in place; False when
    the graph has it already. A ValueError when the graph has no such layer. The fine-tuned last layer speaks of
    propaganda; a middle layer keeps more of the sentence's structure, which attribution (who said what) turns
    on. No value changes and nothing more is computed: the tensor is only read out. `model`: an
    onnx.ModelProto (typed Any: onnx is the train extra's)."""
    from onnx import TensorProto, helper  # lazy: the train extra

    graph = model.graph
    if any(output.name == MIDDLE_OUTPUT for output in graph.output):
        return False
    source = _layer_output(layer)
    if not any(source in node.output for node in graph.node):
        raise ValueError(f"the graph has no tensor {source} (layer {layer}): not an encoder exported by spinlens")
    graph.node.append(helper.make_node("Identity", [source], [MIDDLE_OUTPUT], name="middle_encodings_output"))
    graph.output.append(helper.make_tensor_value_info(MIDDLE_OUTPUT, TensorProto.FLOAT, ["batch", "tokens", "hidden"]))
    return True


def _is_zero(producer: Any, graph: Any, name: str) -> bool:
    """Whether `name` is a constant whose every element is 0 (a Constant node's value or an initializer)."""
    from onnx import numpy_helper  # lazy: the train extra

    tensors = [attribute.t for attribute in producer.attribute if attribute.name == "value"] if producer is not None and producer.op_type == "Constant" else []
    tensors += [initializer for initializer in graph.initializer if initializer.name == name]
    return len(tensors) == 1 and not numpy_helper.to_array(tensors[0]).any()


def strip_file(path: Path) -> int:
    """without_nan_guards on the ONNX file at `path`, rewritten in place (checked first); returns how many."""
    return _edit_file(path, without_nan_guards)


def expose_middle_file(path: Path, layer: int = MIDDLE_LAYER) -> bool:
    """with_middle_output on the ONNX file at `path`, rewritten in place (checked first) when it changed."""
    return bool(_edit_file(path, lambda model: with_middle_output(model, layer)))


def _edit_file(path: Path, edit: Callable[[Any], int]) -> int:
    """Run `edit` on the ONNX model in the file; where it returns non-zero, check the model and save it in place."""
    import onnx  # lazy: the train extra

    model = onnx.load(str(path))
    changed = edit(model)
    if changed:
        onnx.checker.check_model(model)
        onnx.save(model, str(path))
    return changed
