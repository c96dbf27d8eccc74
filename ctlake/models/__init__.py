"""The model runner: SQL models in `sql/`, run in dependency order, incrementally.

`refresh(lake)` is the entry point; see `runner` for the run loop, `window` for the window
math, `project` for discovery and dependencies, `header` and `render` for the model file.
"""

from ctlake.models.runner import RefreshSummary, refresh

__all__ = ["RefreshSummary", "refresh"]
