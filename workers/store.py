"""Store jobs: thin wrappers around gallery.store services."""
from gallery.store.notifications import send_order_mails as send
from workers.jobs import app_job


@app_job
def send_order_mails(order_id: str, event: str) -> None:
    send(order_id, event)
