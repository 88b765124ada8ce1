"""spinlens: find the propaganda techniques in a news article, and who is quoted, with exact offsets.

    >>> import spinlens
    >>> analysis = spinlens.analyze("Make no mistake: this is a disgraceful betrayal.")
    >>> [(analysis.fragment_text(t), t.technique) for t in analysis.techniques]
"""

import sys
from typing import Any

from .errors import AnalysisError, FetchError, InputError, ModelError, SpinlensError
from .types import SCHEMA, Analysis, Article, Attribution, Example, SentenceScore, Span, TechniqueSpan, TextSpan

__all__ = [
    "SCHEMA", "Analysis", "AnalysisError", "Analyzer", "Article", "Attribution", "Example", "FetchError", "InputError", "ModelError",
    "SentenceScore", "Span", "SpinlensError", "TechniqueSpan", "TextSpan", "analyze",
]
__version__ = "0.1.0"


def _display_html(analysis: Analysis) -> str:
    """An Analysis in a notebook: the highlighted article."""
    from .render.html import render_fragment  # lazy: the renderer and jinja2 load only when a notebook shows one

    return render_fragment(analysis)


def _register_notebook_display() -> None:
    """Show an Analysis as HTML in IPython and Jupyter, registered by class name with IPython's formatter so
    that types.py needs no renderer. Nothing happens outside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type_by_name("spinlens.types", "Analysis", _display_html)


_register_notebook_display()


def __getattr__(name: str) -> Any:
    # The pipeline pulls in numpy and onnxruntime: load it on first use so `spinlens --help` stays instant.
    if name in ("Analyzer", "analyze"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'spinlens' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"Analyzer", "analyze"})
