"""The studio's inbox: what needs the photographer now, across proofing, the store, galleries, retention and
the mail outbox. A face over the domains: each domain keeps its own rule for "waits on the photographer"
(and for "handled"); the inbox asks each one and reads counts and the first items in one query per kind."""
