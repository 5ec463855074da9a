"""The conversation: Chainlit handlers, the agent graph per actor, tool-call recovery, streaming.

Chainlit writes `.chainlit/` and `.files/` into CHAINLIT_APP_ROOT (default: the cwd) when imported, and
reads `chainlit.md` from there: point it at the repository root before anything imports chainlit.
"""

import os
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("CHAINLIT_APP_ROOT", str(APP_ROOT))
