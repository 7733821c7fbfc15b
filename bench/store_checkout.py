"""Checkout speed: a 10-line cart turned into an order, with and without a coupon, on SQLite and PostgreSQL;
and checkouts racing for a coupon's last use (exactly one must win every round).

Run alone: .venv/bin/python bench/store_checkout.py
PostgreSQL: GALLERY_BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/bench_store).
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gallery import create_app  # noqa: E402
from gallery.extensions import db  # noqa: E402

ORDERS = 150
ROUNDS = 3  # repetitions of each measurement: min and median reported
RACE_ROUNDS = 10
RACERS = 8
POSTGRES_URL = os.environ.get("GALLERY_BENCH_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/bench_store")


def _app(url: str, tmp: Path):
    app = create_app({"env": "testing", "database_url": url, "secret_key": "bench-secret-key-0123456789abcdef-xyz",
                      "storage_dir": str(tmp / "storage"), "mail_dir": str(tmp / "mail"), "redis_url": None})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _shop():
    import hashlib

    from gallery.accounts.services import create_photographer
    from gallery.galleries.models import Photo
    from gallery.galleries.services import create_gallery, publish_gallery
    from gallery.store import services

    photographer = create_photographer(email="bench@example.com", password="bench password 123",
                                       studio_name="Bench")
    sheet = services.create_price_sheet(photographer.id, {
        "name": "Bench", "currency": "EUR", "payment_instructions": "Bank transfer to 1234.56.78903, reference: the order number.", "tax_rate_bp": 2500, "shipping_flat": 990, "products": [
            {"kind": "print", "name": "Print", "price": 2500},
            {"kind": "digital_photo", "name": "Download", "price": 1000}]})
    gallery = create_gallery(photographer.id, {"title": "Bench", "price_sheet_id": sheet.id})
    publish_gallery(photographer.id, gallery.id)
    photos = []
    for n in range(10):
        photo = Photo(gallery_id=gallery.id, original_filename=f"IMG_{n}.jpg", storage_key=f"k/{n}",
                      sha256=hashlib.sha256(str(n).encode()).hexdigest(), status="ready", position=n)
        db.session.add(photo)
        photos.append(photo)
    db.session.commit()
    return photographer, sheet, gallery, photos


def _cart_items(sheet, photos):
    product = {p.kind: p.id for p in sheet.products}
    return [{"product_id": product["print"], "photo_id": photo.id, "quantity": 2, "options": {"finish": "matte"}}
            for photo in photos[:5]] + [{"product_id": product["digital_photo"], "photo_id": photo.id,
                                         "quantity": 1} for photo in photos[5:]]


ADDRESS = {"name": "B", "line1": "Street 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}


def _checkouts(app, with_coupon: bool) -> float:
    """Milliseconds per checkout (cart already filled), median-free: total time / orders."""
    from gallery.core.ids import new_id
    from gallery.galleries.models import Gallery
    from gallery.store import services
    from gallery.store.models import PriceSheet

    with app.app_context():
        gallery = db.session.scalar(db.select(Gallery))
        sheet = db.session.scalar(db.select(PriceSheet))
        photos = sorted(db.session.scalars(db.select(services.Photo)), key=lambda p: p.position)
        code = None
        if with_coupon:
            code = services.create_coupon(gallery.photographer_id, {"percent_off": 15, "max_uses": ORDERS}).code
            db.session.commit()
        buyers = [services.Buyer(visitor_id=new_id(), email="b@example.com") for _ in range(ORDERS)]
        for buyer in buyers:
            services.replace_cart(gallery, buyer, _cart_items(sheet, photos))
        db.session.commit()
        started = time.perf_counter()
        for buyer in buyers:
            services.place_order(gallery, buyer, coupon_code=code, shipping_address=ADDRESS)
            db.session.commit()
        return (time.perf_counter() - started) * 1000 / ORDERS


def _race(app) -> tuple[float, int]:
    """Rounds of RACERS checkouts for one remaining use; returns (ms per round, rounds with exactly one winner)."""
    from gallery.core.ids import new_id
    from gallery.errors import Problem
    from gallery.galleries.models import Gallery
    from gallery.store import services
    from gallery.store.models import PriceSheet

    good_rounds, elapsed = 0, 0.0
    for _ in range(RACE_ROUNDS):
        with app.app_context():
            gallery = db.session.scalar(db.select(Gallery))
            sheet = db.session.scalar(db.select(PriceSheet))
            photos = sorted(db.session.scalars(db.select(services.Photo)), key=lambda p: p.position)
            code = services.create_coupon(gallery.photographer_id, {"percent_off": 10, "max_uses": 1}).code
            buyers = [services.Buyer(visitor_id=new_id(), email="r@example.com") for _ in range(RACERS)]
            for buyer in buyers:
                services.replace_cart(gallery, buyer, _cart_items(sheet, photos)[5:])
            db.session.commit()
            gallery_id = gallery.id
        barrier, wins = threading.Barrier(RACERS), []

        def run(buyer):
            with app.app_context():
                gallery = db.session.get(Gallery, gallery_id)
                barrier.wait()
                try:
                    services.place_order(gallery, buyer, coupon_code=code)
                    db.session.commit()
                    wins.append(buyer)
                except Problem:
                    db.session.rollback()
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=run, args=(b,)) for b in buyers]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed += time.perf_counter() - started
        good_rounds += len(wins) == 1
    return elapsed * 1000 / RACE_ROUNDS, good_rounds


def main() -> None:
    from bench.lib.report import Runs, load_footer, machine_header
    from tests.conftest import ensure_postgres_database

    machine_header("store_checkout", rounds=ROUNDS)
    with tempfile.TemporaryDirectory() as tmp:
        ensure_postgres_database(POSTGRES_URL)
        for name, url in (("sqlite", f"sqlite:///{tmp}/bench.db"), ("postgresql", POSTGRES_URL)):
            app = _app(url, Path(tmp))
            with app.app_context():
                _shop()
            plain, with_coupon, race, good = Runs(), Runs(), Runs(), []
            for _ in range(ROUNDS):
                plain.add(_checkouts(app, with_coupon=False))
                with_coupon.add(_checkouts(app, with_coupon=True))
                per_round, winners = _race(app)
                race.add(per_round)
                good.append(winners)
            with_coupon.report(f"store_checkout_10_lines_{name}", "ms/order", plain, "without_coupon")
            race.report(f"store_coupon_race_{name}", "ms/round", digits=1)
            print(f"#   {RACERS} racers per round, exactly one winner in {sum(good)}/{RACE_ROUNDS * ROUNDS} rounds",
                  flush=True)
            with app.app_context():
                db.drop_all()
    load_footer()

if __name__ == "__main__":
    main()
