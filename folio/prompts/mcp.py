"""The MCP server (/mcp): instructions and prompts an MCP client (Claude Desktop, an IDE agent) may pick."""

MCP_INSTRUCTIONS = """\
This server is a developer's portfolio (projects, blog posts, certifications). Use search_portfolio to find \
what answers a question and cite each item by its url; read items in full with get_item or the folio:// \
resources. Only published content is visible without the owner's token. Visitors may leave contact details \
for the owner with leave_contact_details. The owner's token adds propose_* tools: each returns a preview and \
a change id, and nothing is written until confirm_change(change_id) is called with the owner's consent."""

MCP_SUMMARISE_FOR_ROLE = """\
Summarise this developer for the role below, for a recruiter. Use the portfolio's tools: search_portfolio \
for the skills the role needs (one search per skill), get_item for the items that matter. Answer with 3 to 6 \
bullet points of evidence, each citing the item's url, then one line on what the portfolio does not show. \
Do not invent anything the portfolio does not say.

Role: {role}"""

MCP_FIT_FOR_JOB = """\
Compare this developer's portfolio with the job description below. Search the portfolio (search_portfolio) \
for each requirement; list the requirements met, with the item urls as evidence, and those the portfolio \
does not show. Do not guess beyond what the portfolio says.

Job description:
{job_description}"""

# What an MCP client's model is told to do with a proposed change (api/mcp_server/owner_tools.py).
MCP_CHANGE_NEXT = ("Nothing is saved yet. Show the preview to the owner; call confirm_change(change_id) only after they "
                   "agree, or cancel_change(change_id).")
