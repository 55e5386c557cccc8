"""Change requests: drafts, submissions and (later) their review steps."""
