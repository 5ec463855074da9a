"""Visitor answers and owner requests judged on content with the real chat model: the same run as
`folio eval --chat` (launch/chat_eval.py), with the benchmark's extra flags (--llm-url, --only, --verbose).

    .venv/bin/python benchmarks/pipeline_eval.py --split both --set both
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's packages

from launch.chat_eval import main  # noqa: E402

if __name__ == "__main__":
    main()
