"""The store: channels, their configuration, feeds, articles, deliveries and the audit log (SQLAlchemy 2)."""
