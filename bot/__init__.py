"""briefbot's service: chat adapters, commands, store and scheduler around the briefing engine."""
