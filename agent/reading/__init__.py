"""Reading a message with the model under a grammar (shared by the visitor's answers and the owner's
requests): the portfolio's catalogue and vocabulary as a stable prompt prefix, and one JSON-schema
constrained call (llama-server's and vLLM's `response_format`)."""

from agent.reading.catalogue import catalogue_lines, technologies, vocabulary
from agent.reading.structured import ReadFailed, read_structured

__all__ = ["ReadFailed", "catalogue_lines", "read_structured", "technologies", "vocabulary"]
