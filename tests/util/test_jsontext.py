from __future__ import annotations

import enum
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hooklint.util.jsontext import dumps


class Color(str, enum.Enum):
    RED = "red"


class Number(enum.IntEnum):
    ONE = 1


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from([Color.RED, Number.ONE])
)
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=30,
)


@given(documents)
def test_the_same_text_as_the_standard_encoder_with_indent_2(document: Any) -> None:
    assert dumps(document) == json.dumps(document, indent=2) + "\n"


def test_a_report_shaped_document() -> None:
    document = {
        "version": 1,
        "findings": [{"rule": "HL101", "message": 'naïve "quote"\n', "related": [], "fix": None, "ok": True}],
        "summary": {},
    }
    assert dumps(document) == json.dumps(document, indent=2) + "\n"
