"""The built-in knowledge base as data: Markdown summaries, agency contacts, act section names (see README.md)."""
