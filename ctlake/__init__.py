"""ctlake: CloudTrail Lake and CloudTrail Insights on your own machine."""

__version__ = "0.1.0"
