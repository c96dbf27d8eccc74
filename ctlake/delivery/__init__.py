"""Delivering insight records to sinks exactly once: the outbox (`outbox`), the sinks
(`sinks`), the run over both (`deliver`), and masking secrets in URLs (`mask`)."""

from ctlake.delivery.deliver import DeliverySummary, deliver
from ctlake.delivery.mask import mask_text, mask_url

__all__ = ["DeliverySummary", "deliver", "mask_text", "mask_url"]
