"""YAML front matter into :class:`~converters.tree.Meta`: ``yaml.safe_load`` only, types checked."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import yaml

from converters.context import Context
from converters.errors import InputError
from converters.tree import Meta

_META_FIELDS = {f.name for f in dataclasses.fields(Meta)}


def parse_front_matter(source: str, ctx: Context) -> Meta:
    """Metadata from YAML front matter; a malformed block or a field of the wrong type is an InputError."""
    where = ctx.source_name
    try:
        data = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark is not None else ""
        raise InputError(f"the YAML front matter is malformed{line}", code="bad-front-matter", where=where) from None
    except (ValueError, OverflowError) as exc:
        # PyYAML builds datetime objects for anything shaped like a timestamp; 'date: 2021-06-73' fails
        # inside the constructor with a bare ValueError ("day is out of range for month").
        raise InputError(
            f"the YAML front matter holds an impossible date or time ({exc}); fix it or quote it",
            code="bad-front-matter",
            where=where,
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            "the YAML front matter must be a mapping of field: value", code="bad-front-matter", where=where
        )
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _META_FIELDS:
            # Other tools' fields (layout, tags...) are not errors, but say they are not kept.
            ctx.warn("front-matter-ignored", f"front matter field {key!r} is not Pressroom metadata; ignored")
            continue
        if key == "keywords":
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                raise InputError(
                    "front matter 'keywords' must be a list of strings", code="bad-front-matter", where=where
                )
            kwargs[key] = tuple(value)
            continue
        if key == "date" and isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        if value is not None and not isinstance(value, str):
            raise InputError(
                f"front matter {key!r} must be text, not {type(value).__name__}; quote it",
                code="bad-front-matter",
                where=where,
            )
        if key == "language" and value is None:
            continue
        kwargs[key] = value
    return Meta(**kwargs)
