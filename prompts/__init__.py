"""Prompt templates for the LLM answer mode, as files loaded by name (none are used by the extractive mode)."""
