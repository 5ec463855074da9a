"""Every prompt folio sends to a chat model, as named constants (one module, one place to review).

Keep the system prompts fixed strings (no per-request interpolation) so the local llama-server's
prompt cache can reuse them; put per-request data in the user/tool messages instead.
"""
