"""Sharing: what a share link may see, and how its views are served."""
