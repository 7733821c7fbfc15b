"""The photographer's studio at /studio: one shell page; everything else is the public API."""
