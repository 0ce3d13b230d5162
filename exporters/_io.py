"""File boundary helpers: atomic writes, paths or file objects, XML-safe and list-flattening values."""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator, Union

import networkx as nx

from kg.errors import ExportError

PathOrFile = Union[str, os.PathLike, IO]

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LIST_SEP = "|"


def is_file(obj: Any) -> bool:
    """True for an open file object (anything with ``write`` or ``read``), False for a path."""
    return hasattr(obj, "write") or hasattr(obj, "read")


def target_path(path_or_dir: str | os.PathLike, filename: str) -> Path:
    """The file to write: ``path_or_dir/filename`` for a folder (existing, or without suffix), else the path."""
    path = Path(path_or_dir)
    if path.is_dir() or not path.suffix:
        return path / filename
    return path


def _file_mode(path: Path) -> int:
    """The mode the written file should have: the replaced file's, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, binary: bool = False) -> Iterator[IO]:
    """Open a temp file beside ``path`` and move it over ``path`` only when the block succeeds.

    An interrupted or failing build therefore leaves the previous file intact.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}; choose a writable folder") from err
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600 files; keep the usual permissions
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
        raise


def write_text(text: str, path_or_file: PathOrFile) -> None:
    """Write ``text`` to an open file object, or atomically to a path (UTF-8)."""
    if is_file(path_or_file):
        if isinstance(path_or_file, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(path_or_file, "mode", ""):
            path_or_file.write(text.encode("utf-8"))
        else:
            path_or_file.write(text)
        return
    with atomic_open(path_or_file) as handle:
        handle.write(text)


def read_text(path_or_file: PathOrFile) -> str:
    """Read a whole text file from a path or an open file object (bytes are decoded as UTF-8)."""
    if is_file(path_or_file):
        data = path_or_file.read()
        return data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        return Path(path_or_file).read_text(encoding="utf-8")
    except OSError as err:
        raise ExportError(f"cannot read {path_or_file}: {err.strerror or err}") from err


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (escaping of <, &, quotes is the XML writer's job)."""
    return _XML_INVALID.sub("", text)


def flatten(value: Any) -> tuple[str, Any]:
    """A scalar for a GraphML/GEXF attribute, and how it was encoded: ``plain``, ``list`` or ``json``.

    Lists of strings join with ``|`` (readable in Gephi); lists whose items hold ``|``, are empty
    strings or would start the value with ``[`` fall back to JSON, as do dicts and lists of dicts.
    """
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            joined = LIST_SEP.join(value)
            clean = all(v and LIST_SEP not in v for v in value) and not joined.startswith("[")
            return (joined if clean else json.dumps(list(value), ensure_ascii=False)), "list"
        return json.dumps(value, ensure_ascii=False, sort_keys=True), "json"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True), "json"
    return value, "plain"


def unflatten(value: Any, encoding: str) -> Any:
    """Invert :func:`flatten` for one attribute value."""
    if encoding == "json":
        return json.loads(value)
    if encoding == "list":
        text = str(value)
        if text.startswith("["):
            return json.loads(text)
        return text.split(LIST_SEP) if text else []
    return value


def unique_edge_ids(G: nx.MultiDiGraph) -> dict[tuple, str]:
    """Each edge's id in a file: its key when the keys are unique strings (ours are), else ``e0, e1, ...``.

    networkx writes a multigraph's key as the id (networkx #4347); Gephi and yEd drop every edge
    whose id repeats, so ids are made unique here whatever the keys are.
    """
    edges = list(G.edges(keys=True))
    ids = {e: xml_safe(e[2]) for e in edges if isinstance(e[2], str)}
    if len(ids) == len(edges) and len(set(ids.values())) == len(edges):
        return ids
    return {e: f"e{n}" for n, e in enumerate(edges)}
