"""hooklint: static analysis and sync simulation for Argo CD hooks and sync waves."""

__version__ = "0.1.0"
