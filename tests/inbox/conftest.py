"""The inbox reads what the store and proofing fixtures make: a shop with a published gallery and a client."""
from tests.store.conftest import make_price_sheet, make_shop  # noqa: F401 - fixtures shared with the store tests
