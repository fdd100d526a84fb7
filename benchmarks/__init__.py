"""Accuracy benchmark: phiguard and raw Presidio scored on annotated corpora (see README.md)."""
