"""A client's data rights (GDPR articles 15, 17 and 20): export everything held about one client, and erase
a client, keeping only what the law requires (orders, anonymised) and saying what was kept and why."""
