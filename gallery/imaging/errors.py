class ImageRejected(Exception):
    """The file cannot become renditions; `reason` is one sentence for the photographer."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
