"""Running ctlake unattended: one batch (`run`), the scheduler (`schedule`), scheduled
reports (`reports`), retention (`retention`), the run log (`runlog`) and `status`."""

from ctlake.batch.run import RunSummary, run_batch

__all__ = ["RunSummary", "run_batch"]
