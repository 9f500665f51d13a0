"""The axes of the publish workflow's job matrix, read from `_config.yml` (`python -m scripts.axes`).

Prints GitHub Actions outputs: the frameworks and languages (JSON lists), the pages that need a
GPU, and the label of the GPU runner ($INPUT_RUNNER, else `pipeline.gpu_runner`; empty: none).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .config import load_config


def main() -> None:
    config = load_config(Path.cwd())
    runner = os.environ.get("INPUT_RUNNER") or config.gpu_runner
    print(f"frameworks={json.dumps(list(config.framework_names))}")
    print(f"languages={json.dumps(list(config.languages))}")
    print(f"gpu_pages={' '.join(config.colab_gpu_pages)}")
    print(f"gpu_runner={runner}")


if __name__ == "__main__":
    main()
