"""Sorted offsets that an edit shifts without touching each one (no Qt).

The incremental renderer keeps each block's start offset and line. An edit replaces a few
blocks and moves every later one by the same amount; rewriting tens of thousands of numbers
per keystroke made its cost grow with the post. `ShiftedOffsets` keeps one pending shift for
the entries from a pivot on, applied when an entry is read; moving the pivot to the next
edit's place costs the entries between the two edits, not the post.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator


class ShiftedOffsets:
    """A non-decreasing list of ints: entries from `_pivot` on are stored `_shift` too low."""

    def __init__(self, values: Iterable[int] = ()) -> None:
        self._stored: list[int] = list(values)
        self._pivot = len(self._stored)
        self._shift = 0

    def __len__(self) -> int:
        return len(self._stored)

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += len(self._stored)
        value = self._stored[index]  # raises IndexError as a list does
        return value + self._shift if index >= self._pivot else value

    def __iter__(self) -> Iterator[int]:
        return iter(self.between(0, len(self._stored)))

    def between(self, start: int, stop: int) -> list[int]:
        """The entries `start:stop` (indexes within the list)."""
        stored, pivot, shift = self._stored, self._pivot, self._shift
        if stop <= pivot:
            return stored[start:stop]
        if start >= pivot:
            return [value + shift for value in stored[start:stop]]
        return stored[start:pivot] + [value + shift for value in stored[pivot:stop]]

    def shifted_from(self, start: int, delta: int) -> ShiftedTail:
        """A read-only view of the entries from `start` on, each plus `delta`."""
        return ShiftedTail(self, start, delta)

    def bisect_left(self, value: int, low: int = 0) -> int:
        """Where `value` goes among the entries, before equal ones (from `low` on)."""
        stored, pivot = self._stored, self._pivot
        if low < pivot:
            found = bisect_left(stored, value, low, pivot)
            if found < pivot:
                return found
        return bisect_left(stored, value - self._shift, max(low, pivot))

    def bisect_right(self, value: int) -> int:
        """Where `value` goes among the entries, after equal ones."""
        stored, pivot = self._stored, self._pivot
        found = bisect_right(stored, value, 0, pivot)
        if found < pivot:
            return found
        return bisect_right(stored, value - self._shift, pivot)

    def replace(self, start: int, stop: int, values: list[int], shift_after: int) -> None:
        """Put `values` in place of the entries `start:stop`; move every entry after by
        `shift_after`. Costs the entries between the last edit's place and this one's."""
        stored, shift, pivot = self._stored, self._shift, self._pivot
        if shift and pivot <= stop:  # entries before the replaced ones stay before the pivot
            for index in range(pivot, start):
                stored[index] += shift
        elif shift:  # entries after the replaced ones come after the pivot
            for index in range(stop, pivot):
                stored[index] -= shift
        stored[start:stop] = values
        self._pivot = start + len(values)
        self._shift = shift + shift_after


class ShiftedTail:
    """The entries of a `ShiftedOffsets` from an index on, each moved by a fixed amount."""

    def __init__(self, offsets: ShiftedOffsets, start: int, delta: int) -> None:
        self._offsets, self._start, self._delta = offsets, start, delta

    def __len__(self) -> int:
        return max(0, len(self._offsets) - self._start)

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._offsets[self._start + index] + self._delta
