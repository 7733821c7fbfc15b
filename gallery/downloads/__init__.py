"""Single downloads, streaming zip, download PIN and limits."""
