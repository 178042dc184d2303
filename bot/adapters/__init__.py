"""What every chat adapter shares: the answer lifecycle, digests posted in parts, the adapter protocol."""
