"""The photographer's contacts: consent, locale, timezone, important dates, tags."""
