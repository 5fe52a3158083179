"""ShiftedOffsets behaves as a plain list of offsets rewritten after every edit."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.render.shifted_offsets import ShiftedOffsets

# An edit: where it starts and stops (as fractions of the list), new entries, the shift after.
_EDITS = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.floats(0, 1),
        st.lists(st.integers(0, 30), max_size=4),
        st.integers(-40, 40),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=30), _EDITS)
def test_edits_read_back_as_on_a_plain_list(first: list[int], edits: list) -> None:
    model = sorted(first)
    offsets = ShiftedOffsets(model)
    for where, length, added, shift in edits:
        start = int(where * len(model))
        stop = min(len(model), start + int(length * (len(model) - start)))
        # new entries sorted between their neighbours, the shift keeping the list in order
        low = model[start - 1] if start else 0
        values = sorted(low + value for value in added)
        high = values[-1] if values else low
        if stop < len(model):
            shift = max(shift, high - model[stop])
        model = model[:start] + values + [value + shift for value in model[stop:]]
        offsets.replace(start, stop, values, shift)
        assert len(offsets) == len(model)
        assert list(offsets) == model
        assert [offsets[i] for i in range(-len(model), len(model))] == model + model
        probe = len(model) // 3
        assert offsets.between(probe, len(model) - probe) == model[probe : len(model) - probe]
        tail = offsets.shifted_from(probe, 7)
        assert [tail[i] for i in range(len(tail))] == [value + 7 for value in model[probe:]]
        for value in range(-5, (model[-1] if model else 0) + 5):
            assert offsets.bisect_right(value) == bisect_right(model, value)
            assert offsets.bisect_left(value) == bisect_left(model, value)
            assert offsets.bisect_left(value, probe) == bisect_left(model, value, probe)
