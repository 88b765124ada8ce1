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
