"""`make run`'s demo gallery holds real photos processed by the pipeline."""
from gallery import demo
from gallery.extensions import db
from gallery.galleries.models import Photo


def test_seed_processes_the_demo_photos_once(app):
    result = demo.seed()
    db.session.commit()
    photos = db.session.scalars(db.select(Photo).where(Photo.gallery_id == result.gallery.id)).all()
    assert len(photos) == len(list(demo.DEMO_PHOTOS.glob("*.jpg"))) >= 6
    assert {p.status for p in photos} == {"ready"}
    assert all(len(p.renditions) >= 3 for p in photos)
    assert {p.set_id for p in photos} == {s.id for s in result.gallery.sets}
    assert result.gallery.cover_photo_id in {p.id for p in photos}
    assert any("ready" in note for note in result.notes)
    assert any("/g/" in note for note in result.notes)  # a client page to open
    demo.seed()
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == len(photos)
    assert sum(f.stat().st_size for f in demo.DEMO_PHOTOS.iterdir()) < 3 * 1024 * 1024
