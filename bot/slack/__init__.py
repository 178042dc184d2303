"""Slack: the command table as slash commands, digests posted with chat.postMessage (slack-bolt)."""
