"""The local console: a channel in the terminal, answered from the same command table as Discord."""
