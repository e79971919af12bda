"""Compute reference vectors with sentence-transformers itself, for the parity test.

Loads all-MiniLM-L6-v2 from the same pinned wheel fetch-model builds from (build_model.py checks
its sha256), through SentenceTransformer with the package's own modules.json (mean pooling,
normalize), and writes one 384-number vector per phrase. Developers run it when the phrase list
changes; the output is committed, so the test needs no Python.

Usage (from the repository root, in a venv with requirements-reference.txt):
  python scripts/model/reference_vectors.py test/fixtures/wardrobe-phrases.txt test/fixtures/reference-vectors.json
"""

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packages" / "node" / "model-build"))
from build_model import PACKAGE, VERSION, download, extract_model  # noqa: E402  (fetch-model's build script names the wheel)
from sentence_transformers import SentenceTransformer


def main(phrases_path: Path, out_path: Path) -> None:
    phrases = [line for line in phrases_path.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        wheel = download(Path(tmp))
        model_dir = extract_model(wheel, Path(tmp) / "model")
        model = SentenceTransformer(str(model_dir), device="cpu")
        vectors = model.encode(phrases, normalize_embeddings=True, convert_to_numpy=True)
    out = {
        "source": f"{PACKAGE}=={VERSION} via sentence-transformers (SentenceTransformer.encode, normalized)",
        "vectors": [{"text": text, "vector": [round(float(x), 7) for x in vector]} for text, vector in zip(phrases, vectors)],
    }
    out_path.write_text(json.dumps(out) + "\n")
    print(f"wrote {len(phrases)} reference vectors to {out_path}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python reference_vectors.py PHRASES.txt OUT.json")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
