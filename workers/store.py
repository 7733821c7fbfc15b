"""Store jobs: thin wrappers around gallery.store services."""


def send_order_mails(order_id: str, event: str) -> None:
    from gallery.store.notifications import send_order_mails as send

    send(order_id, event)
