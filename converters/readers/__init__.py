"""Readers: one module per input format, each with one public ``read_<format>(data, ctx)``."""
