"""The docs are tested: the README's Python snippets run, in order, and their claims hold."""
import doctest
import inspect
import re
from pathlib import Path

import pytest

import kg.cli
import kg.graph
import kg.query
import kg.store

ROOT = Path(__file__).resolve().parent.parent


def python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def readme_namespace(tmp_path_factory):
    """Run every Python block of the README in one namespace, as a reader would, writing into a temp folder."""
    out = tmp_path_factory.mktemp("readme")
    namespace = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        for n, block in enumerate(python_blocks(ROOT / "README.md"), start=1):
            block = block.replace('"out/', f'"{out}/')  # "out/" and "out/blinken/" land in the temp folder
            exec(compile(block, f"README.md python block {n}", "exec"), namespace)
    namespace["OUT"] = out
    return namespace


def test_readme_has_a_building_and_a_querying_example():
    assert len(python_blocks(ROOT / "README.md")) == 2


def test_readme_python_example_runs(readme_namespace):
    ns = readme_namespace
    assert ns["blinken"]["name"] == "Antony Blinken"
    assert ns["calls"] and all(e["type"] == "call" for e in ns["calls"])
    assert (ns["OUT"] / "graph.html").exists()
    assert ns["g"].graph.number_of_nodes() > 10


def test_readme_querying_example_holds(readme_namespace):
    ns = readme_namespace
    g = ns["g"]  # the loaded graph: the querying block reassigns it
    dates = [e["time"]["start"] for e in g.timeline(involving="Blinken") if e["time"] and e["time"]["start"]]
    assert dates == sorted(dates) and dates[0] == "2023-02-01"
    assert ns["june"] and all(e["time"]["start"] <= "2023-06-30" and e["time"]["end"] >= "2023-06-01"
                              for e in ns["june"])
    assert any(r["kind"] == "event" and r["type"] == "call" for r in ns["links"])
    assert [r["name"] for r in ns["near"] if r["distance"] == 1][:1] == ["Antony Blinken"]
    assert ns["steps"][0]["name"] == "Antony Blinken" and ns["steps"][-1]["name"] == "Qin Gang"
    assert (ns["OUT"] / "blinken" / "graph.html").exists()
    assert [r["id"] for r in ns["rows"]] == [e["id"] for e in g.timeline()]


def test_readme_has_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"
    assert test_cmd in readme and test_cmd in ci
    assert "kg build examples/articles --out out" in readme


@pytest.mark.parametrize("module", [kg.query, kg.store, kg.graph, kg.cli], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    """Every docstring example of the query modules runs (those marked +SKIP need a built graph)."""
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def public_functions():
    from kg.graph import KnowledgeGraph

    found = [f for module in (kg.query, kg.store, kg.graph) for name, f in inspect.getmembers(module, inspect.isfunction)
             if not name.startswith("_") and f.__module__ == module.__name__]
    found += [f for name, f in inspect.getmembers(KnowledgeGraph, inspect.isfunction) if not name.startswith("_")]
    return found


@pytest.mark.parametrize("function", public_functions(), ids=lambda f: f.__qualname__)
def test_every_public_query_function_has_an_example(function):
    assert ">>>" in (function.__doc__ or "")
