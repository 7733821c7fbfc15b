"""RQ: queues, thin job functions that call domain services, periodic jobs."""
