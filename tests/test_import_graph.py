"""The shape of the `editor` package: no import cycle anywhere, and the GUI's rooms entered only
through their `__init__`.

The graph is grimp's (import-linter's library), read from the sources without importing them.
It holds every import: at module level, inside functions (lazy imports for start-up time) and
under `if TYPE_CHECKING:`. A cycle of type-only imports is still a cycle: the modules cannot be
understood, moved or tested one without the other.
"""

from __future__ import annotations

import grimp
import pytest

PACKAGE = "editor"
GUI = "editor.gui"

# Cycles another branch of issue 14 removes (the CLI becomes one package): listed by their
# exact modules, so that a new cycle still fails, and a listed one that is gone fails too (take
# it off the list then).
KNOWN_CYCLES: list[frozenset[str]] = []

# Modules outside a room that may import one of its internal modules (none today).
ROOM_DOOR_EXCEPTIONS: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """Return the import graph of the editor package, every kind of import included."""
    return grimp.build_graph(PACKAGE, cache_dir=None)


def import_cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """Return the strongly connected groups of more than one module (each holds a cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        # Tarjan's algorithm without recursion: (module, its imports still to visit)
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imports = work[-1]
            for imported in imports:
                if imported not in index:
                    index[imported] = low[imported] = counter
                    counter += 1
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append(
                        (imported, iter(sorted(graph.find_modules_directly_imported_by(imported))))
                    )
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(frozenset(group))
    return groups


def describe(graph: grimp.ImportGraph, group: frozenset[str]) -> str:
    """Name a cycle's modules and one import chain that closes it."""
    first = min(group)
    text = f"{len(group)} modules: {', '.join(sorted(group))}"
    for imported in sorted(graph.find_modules_directly_imported_by(first)):
        if imported in group:
            back = graph.find_shortest_chain(importer=imported, imported=first)
            if back is not None:
                return f"{text}; e.g. {' -> '.join((first, *back))}"
    return text


def test_no_import_cycle_in_editor(graph: grimp.ImportGraph) -> None:
    """No module of `editor` imports, through any chain, a module that imports it."""
    groups = import_cycles(graph)
    new = [describe(graph, group) for group in groups if group not in KNOWN_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(new)
    gone = [sorted(group) for group in KNOWN_CYCLES if group not in groups]
    assert not gone, f"these listed cycles are gone: take them off KNOWN_CYCLES: {gone}"


def rooms(graph: grimp.ImportGraph) -> list[str]:
    """Return the room packages of the GUI (its sub-packages)."""
    return sorted(
        module
        for module in graph.find_children(GUI)
        if graph.find_children(module)  # a package, not a module
    )


def test_the_gui_has_rooms(graph: grimp.ImportGraph) -> None:
    """The room check below looks at something: the GUI is split into rooms."""
    assert {"editor.gui.editing", "editor.gui.safety", "editor.gui.publishing"} <= set(
        rooms(graph)
    )


def test_rooms_are_entered_through_their_init(graph: grimp.ImportGraph) -> None:
    """A module outside a room imports only the room's package (its `__init__`), never one of
    the modules inside it."""
    trespasses = []
    for room in rooms(graph):
        for inner in graph.find_descendants(room):
            for importer in graph.find_modules_that_directly_import(inner):
                inside = importer == room or importer.startswith(room + ".")
                if not inside and (importer, inner) not in ROOM_DOOR_EXCEPTIONS:
                    trespasses.append(f"{importer} imports {inner} (import it from {room})")
    assert not trespasses, "\n".join(sorted(trespasses))
