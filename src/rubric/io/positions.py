"""Where the values of a parsed document are, kept per mapping and list rather than per path.

``io.block_yaml`` records, for every mapping and list it reads, the line and column of
each value (and key) in one table beside the data; ``Positions`` answers by path, as the
full reader's dicts of every path do (``located_yaml.Doc``). A 10 000-row ruleset has
some 300 000 values: a path tuple and a dict entry for each cost a third of the read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = ["FlowTable", "Positions"]

PathT = tuple[Any, ...]


#: where the values of a mapping or list are, with what is inside them: for a mapping,
#: ``{key: (key line, key col, line, col, inner)}``; for a list, ``[(line, col, inner)]``;
#: ``inner`` is the table of the value when it is a mapping or a list, else None. A
#: mapping's table may also be a ``FlowTable``, a tuple.


#: the table of a one-line flow mapping of scalars (``{unit: 万元, minimum: 0}``), its
#: entries made when asked for (a ruleset has tens of thousands, a fact's declaration or a
#: band, and the positions of few are ever looked up): ``(line, col, keys, pairs, at)``,
#: the mapping's keys in order, what the reader keeps of each pair and ``at(pair)``, the
#: columns of that pair's key and value counted from the ``{`` at column ``col``
#: (0-based) of ``line``. A plain tuple: made for each such mapping, it costs no call.
FlowTable = tuple[int, int, tuple[Any, ...], tuple[Any, ...], Callable[[Any], tuple[int, int]]]


def _flow_items(table: FlowTable) -> Iterator[tuple[Any, tuple[int, int, int, int, None]]]:
    line, col, keys, pairs, at = table
    for k, pair in zip(keys, pairs):
        kc, vc = at(pair)
        yield k, (line, col + kc, line, col + vc, None)


class Positions(Mapping[PathT, tuple[int, int]]):
    """The position of every value (or, with ``keys``, of every mapping key) by path,
    looked up in the tables from ``root`` (the document's line, column and table). It
    maps exactly the paths the full reader's dicts hold."""

    def __init__(self, root: tuple[int, int, Any], *, keys: bool) -> None:
        self.root = root
        self.of_keys = keys

    def _find(self, path: PathT) -> tuple[int, int] | None:
        line, col, table = self.root
        key_at: tuple[int, int] | None = None
        for part in path:
            if type(table) is dict:
                try:
                    entry = table.get(part)
                except TypeError:  # an unhashable part
                    return None
                if entry is None:
                    return None
                kline, kcol, line, col, table = entry
                key_at = (kline, kcol)
            elif type(table) is tuple:  # a FlowTable: the key matched as a dict would
                for k, pair in zip(table[2], table[3]):
                    if k is part or (k == part and hash(k) == hash(part)):
                        kc, vc = table[4](pair)
                        line, key_at = table[0], (table[0], table[1] + kc)
                        col, table = table[1] + vc, None
                        break
                else:
                    return None
            elif type(table) is list and isinstance(part, int) and 0 <= part < len(table):
                line, col, table = table[part]
                key_at = None
            else:
                return None
        if self.of_keys:
            return key_at
        return line, col

    def __getitem__(self, path: PathT) -> tuple[int, int]:
        found = self._find(path) if isinstance(path, tuple) else None
        if found is None:
            raise KeyError(path)
        return found

    def get(self, path: PathT, default: Any = None) -> Any:
        found = self._find(path) if isinstance(path, tuple) else None
        return default if found is None else found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self._find(path) is not None

    def __iter__(self) -> Iterator[PathT]:
        stack: list[tuple[PathT, Any]] = [((), self.root[2])]
        if not self.of_keys:
            yield ()
        while stack:
            path, table = stack.pop()
            is_map = type(table) is dict or type(table) is tuple
            entries = (table.items() if type(table) is dict else _flow_items(table)
                       if is_map else enumerate(table or ()))
            for part, entry in entries:
                if is_map or not self.of_keys:
                    yield (*path, part)
                stack.append(((*path, part), entry[-1]))

    def __len__(self) -> int:
        return sum(1 for _ in self)
