"""spinlens: find the propaganda techniques in a news article, with exact offsets and calibrated scores.

    >>> import spinlens
    >>> analysis = spinlens.analyze("Make no mistake: this is a disgraceful betrayal.")
    >>> [(analysis.fragment_text(t), t.technique) for t in analysis.techniques]
"""

from .errors import FetchError, InputError, ModelError, SpinlensError
from .pipeline import Analyzer, analyze
from .types import SCHEMA, Analysis, Article, SentenceScore, Span, TechniqueSpan

__all__ = [
    "SCHEMA", "Analysis", "Analyzer", "Article", "FetchError", "InputError", "ModelError",
    "SentenceScore", "Span", "SpinlensError", "TechniqueSpan", "analyze",
]
__version__ = "0.1.0"
