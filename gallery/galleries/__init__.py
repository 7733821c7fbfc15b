"""Galleries, sets, photos, renditions and share links."""
