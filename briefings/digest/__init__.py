"""Digests: the short text of a story and the answers behind each command."""
