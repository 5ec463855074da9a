"""The conversation's brain, UI-free: the agent graph per actor, state, configuration, middleware
(grounding, citations, tool-call recovery), turns, intent, extraction, answer checks, memory. It imports
nothing from Chainlit nor from the chat UI (chat/), so another front end (MCP, a CLI) can drive it."""
