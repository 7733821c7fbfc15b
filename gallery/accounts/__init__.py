"""Photographer accounts: signup, sessions (flask-login), API tokens."""
