"""Cleaners: pure ``Document -> Document`` functions, each idempotent."""
