"""Evaluation: datasets of questions with expected citations, and the metrics computed over them."""
