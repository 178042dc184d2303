"""The story memory: stories kept for weeks, and the one read model digests and commands use."""
