"""Turn engine results into JSON-ready data: ISO dates, amounts as strings, enums as their value.

Why strings for amounts: a JSON number is a float for most readers, and money must never go through a
float; "1234.50" round-trips exactly into a Decimal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal
from enum import Enum
from typing import Any


def to_jsonable(value: Any) -> Any:
    """Recursively convert dataclasses, dates, Decimals, enums, tuples and mappings for `json.dumps`."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(item) for item in value]
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 6)
    return value
