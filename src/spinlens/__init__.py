"""spinlens: find the propaganda techniques in a news article, and who is quoted, with exact offsets.

    >>> import spinlens
    >>> analysis = spinlens.analyze("Make no mistake: this is a disgraceful betrayal.")
    >>> [(analysis.fragment_text(t), t.technique) for t in analysis.techniques]
"""

from .errors import AnalysisError, FetchError, InputError, ModelError, SpinlensError
from .types import SCHEMA, Analysis, Article, Attribution, SentenceScore, Span, TechniqueSpan, TextSpan

__all__ = [
    "SCHEMA", "Analysis", "AnalysisError", "Analyzer", "Article", "Attribution", "FetchError", "InputError", "ModelError",
    "SentenceScore", "Span", "SpinlensError", "TechniqueSpan", "TextSpan", "analyze",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    # The pipeline pulls in numpy and onnxruntime: load it on first use so `spinlens --help` stays instant.
    if name in ("Analyzer", "analyze"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'spinlens' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"Analyzer", "analyze"})
