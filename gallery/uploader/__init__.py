"""The photographer's uploader: a folder of photos into a gallery over the HTTP API."""
