"""Spiders: one per wire service, found by name."""
