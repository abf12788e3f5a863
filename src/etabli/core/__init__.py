"""The platform core: tenancy, people, review queue, AI log, time-saved ledger, alerts, audit, API, jobs."""
