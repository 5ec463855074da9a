"""The chat UI: Chainlit's handlers, identity, the history data layer, streaming, the owner's buttons, the
mount at /chat with its guards. The only package that imports Chainlit; the agent it drives (agent/) is
UI-free.

Chainlit writes `.chainlit/` and `.files/` into CHAINLIT_APP_ROOT (default: the cwd) when imported, and
reads `chainlit.md` from there: point it at the repository root before anything imports chainlit.
"""

import os
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("CHAINLIT_APP_ROOT", str(APP_ROOT))
