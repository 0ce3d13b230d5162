"""kg-timeline: news articles in; a dated, sourced event timeline and knowledge graph out.

>>> import kg
>>> g = kg.build(["examples/articles"])       # doctest: +SKIP
>>> g.events(type="call", involving="Blinken")  # doctest: +SKIP
"""
from .errors import ExportError, InputError, KGError, ModelError

__version__ = "0.1.0"
__all__ = ["build", "KnowledgeGraph", "BuildReport", "KGError", "InputError", "ModelError", "ExportError",
           "__version__"]


def __getattr__(name):
    # Loaded on first use: `import kg` stays cheap and spaCy loads only when a build needs it.
    if name in ("build", "BuildReport"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "KnowledgeGraph":
        from .graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
