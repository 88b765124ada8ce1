"""The shipped model files (data only; spinlens.loaders loads them)."""

from pathlib import Path

SHIPPED = Path(__file__).parent
TECHNIQUES = SHIPPED / "techniques"
ATTRIBUTION = SHIPPED / "attribution"
