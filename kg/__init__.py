"""kg-timeline: news articles in; a dated, sourced event timeline and knowledge graph out.

>>> import kg
>>> g = kg.build(["examples/articles"])       # doctest: +SKIP
>>> g.events(type="call", involving="Blinken")  # doctest: +SKIP
>>> g = kg.load("out/")                         # doctest: +SKIP
"""
from .errors import ExportError, InputError, KGError, ModelError

__version__ = "0.1.0"
__all__ = ["build", "load", "KnowledgeGraph", "BuildReport", "KGError", "InputError", "ModelError", "ExportError",
           "EntityNotFound", "AmbiguousEntity", "__version__"]


def __getattr__(name):
    # Loaded on first use: `import kg` stays cheap and spaCy loads only when a build needs it.
    if name in ("build", "BuildReport"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "KnowledgeGraph":
        from .graph import KnowledgeGraph

        return KnowledgeGraph
    if name == "load":
        from .store import load

        return load
    if name in ("EntityNotFound", "AmbiguousEntity"):
        from . import query

        return getattr(query, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
