"""Retention: rules, the sweep, the outbox, unsubscribe, tracking and metrics."""
