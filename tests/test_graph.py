"""The encoder graph's edit (training/graph.py): the NaN guards go, every value stays."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime
import pytest

from spinlens.models import TECHNIQUES


def test_the_shipped_encoder_runs_no_nan_guard(tmp_path):
    # Profiled on one window: the kernels that ran are listed by operator. The guards were 6 IsNaN + Where pairs.
    options = onnxruntime.SessionOptions()
    options.enable_profiling = True
    options.profile_file_prefix = str(tmp_path / "profile")
    session = onnxruntime.InferenceSession(str(TECHNIQUES / "model.onnx"), options, providers=["CPUExecutionProvider"])
    ids = np.array([[101, 7592, 2088, 102]], dtype=np.int64)
    outputs = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
    ran = {event["args"]["op_name"] for event in json.loads(open(session.end_profiling()).read()) if event.get("cat") == "Node"}
    assert "Softmax" in ran and "DynamicQuantizeMatMul" in ran  # the profile lists the encoder's kernels
    assert "IsNaN" not in ran
    assert all(np.isfinite(output).all() for output in outputs)


def _guarded(read_test_elsewhere: bool = False):
    onnx = pytest.importorskip("onnx")  # the train extra: the edit runs when a model is exported
    from onnx import TensorProto, helper

    nodes = [
        helper.make_node("Softmax", ["x"], ["p"], axis=-1),
        helper.make_node("IsNaN", ["p"], ["nan"]),
        helper.make_node("Constant", [], ["zero"], value=helper.make_tensor("zero_value", TensorProto.FLOAT, [1], [0.0])),
        helper.make_node("Where", ["nan", "zero", "p"], ["guarded"]),
        helper.make_node("Mul", ["guarded", "x"], ["y"]),
    ]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])]
    if read_test_elsewhere:
        outputs.append(helper.make_tensor_value_info("nan", TensorProto.BOOL, [2, 3]))
    graph = helper.make_graph(nodes, "guarded", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])], outputs)
    return onnx, helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _run(model, x):
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(["y"], {"x": x})[0]


def test_without_nan_guards_removes_the_guard_and_its_zero_and_keeps_every_value():
    from spinlens.training.graph import without_nan_guards

    onnx, model = _guarded()
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], dtype=np.float32)
    before = _run(model, x)
    assert without_nan_guards(model) == 1
    onnx.checker.check_model(model)
    assert [node.op_type for node in model.graph.node] == ["Softmax", "Mul"]
    assert np.array_equal(_run(model, x), before)


def test_a_nan_test_read_elsewhere_is_left_alone():
    from spinlens.training.graph import without_nan_guards

    _, model = _guarded(read_test_elsewhere=True)
    assert without_nan_guards(model) == 0
    assert [node.op_type for node in model.graph.node] == ["Softmax", "IsNaN", "Constant", "Where", "Mul"]


def _two_layers():
    """A toy graph whose first layer's output has the name torch's export gives encoder layer 0's."""
    onnx = pytest.importorskip("onnx")  # the train extra: the edit runs when a model is exported
    from onnx import TensorProto, helper

    from spinlens.training.graph import _layer_output

    nodes = [helper.make_node("Relu", ["x"], [_layer_output(0)]), helper.make_node("Neg", [_layer_output(0)], ["y"])]
    graph = helper.make_graph(nodes, "layers", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    return onnx, helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_the_middle_layer_becomes_an_output_and_the_others_stay():
    from spinlens.training.graph import MIDDLE_OUTPUT, with_middle_output

    onnx, model = _two_layers()
    x = np.array([[1.0, -2.0, 3.0], [-1.0, 0.5, 0.0]], dtype=np.float32)
    before = _run(model, x)
    assert with_middle_output(model, layer=0)
    onnx.checker.check_model(model)
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    y, middle = session.run(["y", MIDDLE_OUTPUT], {"x": x})
    assert np.array_equal(y, before) and np.array_equal(middle, np.maximum(x, 0))
    assert not with_middle_output(model, layer=0)  # there already: the graph is left as it is
    assert [output.name for output in model.graph.output] == ["y", MIDDLE_OUTPUT]


def test_a_graph_without_the_layer_is_refused():
    from spinlens.training.graph import with_middle_output

    _, model = _two_layers()
    with pytest.raises(ValueError, match="layer 5"):
        with_middle_output(model, layer=5)


def test_the_shipped_encoder_gives_the_middle_layer_beside_the_last():
    from spinlens.cards import ENCODINGS_NAMES
    from spinlens.loaders import technique_model

    model = technique_model()
    assert model.encodings_outputs == ENCODINGS_NAMES == ("encodings", "middle_encodings")
    (out,) = model.run(["The minister said the plan was a disgrace."], encodings=ENCODINGS_NAMES)
    assert out.encodings is not None and out.middle_encodings is not None
    assert out.middle_encodings.shape == out.encodings.shape and not np.allclose(out.middle_encodings, out.encodings)
    both = out.stacked(["middle_encodings", "encodings"])
    assert np.array_equal(both, np.concatenate([out.middle_encodings, out.encodings], axis=1))
    assert out.stacked(["encodings"]) is out.encodings
    (bare,) = model.run(["The minister said so."])
    with pytest.raises(ValueError, match="not run with encodings naming it"):
        bare.stacked(["encodings"])
    (last,) = model.run(["The minister said so."], encodings=["encodings"])  # only what is asked for
    assert last.encodings is not None and last.middle_encodings is None
    with pytest.raises(ValueError, match="no encodings output"):
        model.run(["The minister said so."], encodings=["propaganda"])
    with pytest.raises(ValueError, match="not an encodings output"):
        out.stacked(["propaganda"])
