"""Delivering insight records to sinks exactly once: the outbox (`outbox`), the sinks
(`sinks`), the run over both (`deliver`), and masking secrets in URLs (`mask`).

Import the module you need: the package imports nothing itself, so the error boundary and
`config` commands can mask a URL without loading the engine that `outbox` needs."""
