"""Analytics and activity reports, read from the engagement event log."""
