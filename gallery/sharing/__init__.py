"""Share links, the access check, visitors and one-time codes, and what a link may see (and its cached views)."""
