"""Channel configuration and the admin API the chat adapters call."""
