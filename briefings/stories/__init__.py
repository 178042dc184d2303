"""Stories: articles about one event, clustered and merged."""
