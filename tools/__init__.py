"""What the owner is shown before a write: the previews of proposed changes (tools/previews.py), shared by
the owner's chat and the MCP server's owner tools. Reading a message and answering it is the pipelines'
job (agent/answering, agent/requests); every write goes through folio.services.changes."""
