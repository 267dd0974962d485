"""Pressroom: scraped news articles to Markdown, DOCX, EPUB and print-ready PDF.

The Python API lives in :mod:`converters.pipeline` (``read``, ``render``, ``convert``); the
document model in :mod:`converters.tree`.
"""

__version__ = "0.1.0"
