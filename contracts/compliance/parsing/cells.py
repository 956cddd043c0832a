"""A converted column: typed values, which cells are blank, and a problem code per cell."""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa


@dataclass
class Converted:
    values: Any  # np.ndarray, or pa.ChunkedArray for text (pyarrow has no types: the union would be Any)
    null: np.ndarray
    code: np.ndarray  # int8, 0 where fine


def to_numpy(array: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False)


def concatenate(parts: list[Converted]) -> Converted:
    """One column from the conversions of its consecutive chunks of rows."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0].values
    if isinstance(first, pa.ChunkedArray):
        values = pa.chunked_array([chunk for part in parts for chunk in part.values.chunks], type=first.type)
    else:
        values = np.concatenate([part.values for part in parts])
    return Converted(
        values, np.concatenate([part.null for part in parts]), np.concatenate([part.code for part in parts])
    )
