"""Server-rendered HTML pages a person can read (the chat's citations link here)."""
