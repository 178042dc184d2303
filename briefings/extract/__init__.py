"""Extraction of the event structure from a parsed article."""
