"""Every prompt folio sends to a chat model, and every text shown to one, as named constants (one
module, one place to review).

Keep the system prompts fixed strings (no per-request interpolation) so the local llama-server's
prompt cache can reuse them; put per-request data in the user/tool messages instead.

Kept by audience: folio/prompts/writer.py (the writing assistant), visitor.py (the visitors' chat),
owner.py (the owner's chat), tools.py (tool descriptions and results), mcp.py (the MCP server). Callers
use `from folio import prompts` and `prompts.NAME`.
"""

from folio.prompts.mcp import *  # noqa: F401,F403
from folio.prompts.owner import *  # noqa: F401,F403
from folio.prompts.reading import *  # noqa: F401,F403
from folio.prompts.tools import *  # noqa: F401,F403
from folio.prompts.visitor import *  # noqa: F401,F403
from folio.prompts.writer import *  # noqa: F401,F403
