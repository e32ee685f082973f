"""Site definitions: one per source, its page class beside it."""
