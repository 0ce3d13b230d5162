"""The docs are tested: the README's Python example runs and its claims hold."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_readme_python_example_runs(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    [block] = python_blocks(ROOT / "README.md")
    block = block.replace('g.write("out/")', f'g.write({str(tmp_path)!r})')
    namespace = {}
    exec(compile(block, "README.md", "exec"), namespace)
    g = namespace["g"]
    assert namespace["blinken"]["name"] == "Antony Blinken"
    assert namespace["calls"] and all(e["type"] == "call" for e in namespace["calls"])
    assert any(r["kind"] == "event" and r["type"] == "call" for r in namespace["links"])
    assert (tmp_path / "graph.html").exists()
    assert g.graph.number_of_nodes() > 10


def test_readme_has_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"
    assert test_cmd in readme and test_cmd in ci
    assert "kg build examples/articles --out out" in readme
