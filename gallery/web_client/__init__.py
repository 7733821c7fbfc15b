"""The client gallery page: a server-rendered shell (Open Graph tags, hero, screens) whose script uses only
the public share API, so it doubles as the reference for photographers who build their own front end."""
