"""The append-only engagement event log and what is computed from it."""
