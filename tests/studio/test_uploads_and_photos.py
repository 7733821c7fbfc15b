"""Uploads from the browser, on local storage (through the app) and on S3 (presigned PUT and multipart, straight
to the bucket): files and whole folders, on the gallery or on a set, duplicates skipped by sha256, a clear reason
per failed file, live status until ready; resuming a multipart upload sends only the missing parts. Then the
photo grid: select by click, shift-click and drag; move to a set, hide from guests, make cover, delete; order
by file name, capture time and by hand; sets created, renamed, reordered and deleted."""
import shutil

from sqlalchemy import select

from gallery.extensions import db
from gallery.galleries.models import Gallery, GallerySet, Photo
from tests.plugins.uploads import PHOTOS, run_worker_burst, sha256_of, swapped_settings, wait_for

FILES = ["portrait_6.jpg", "landscape_3.jpg", "DSCN0010.jpg", "jolla.jpg"]


def photos_of(gallery_id):
    db.session.expire_all()
    return list(db.session.scalars(select(Photo).where(Photo.gallery_id == gallery_id).order_by(Photo.position)))


def shoot_folder(tmp_path):
    """A camera card's folder: photos in a subfolder, a sidecar, a damaged JPEG and a duplicate."""
    root = tmp_path / "Wedding"
    (root / "Ceremony").mkdir(parents=True)
    for name in FILES[:3]:
        shutil.copy(PHOTOS / name, root / "Ceremony" / name)
    shutil.copy(PHOTOS / FILES[3], root / "IMG_9999.jpg")
    shutil.copy(PHOTOS / FILES[0], root / "copy-of-portrait.jpg")  # same bytes as Ceremony/portrait_6.jpg
    (root / "IMG_9999.xmp").write_text("<x:xmpmeta/>")
    (root / "broken.jpg").write_bytes((PHOTOS / FILES[1]).read_bytes()[:40])
    return root


def upload_folder_and_check(studio, gallery, folder):
    page = studio.page
    page.set_input_files("input[webkitdirectory]", str(folder))
    page.wait_for_selector(".upload-panel footer", timeout=120000)  # every file settled
    panel = page.locator(".upload-panel")
    rows = {row.locator(".upload-name").inner_text(): row for row in panel.locator(".upload-row").all()}
    assert set(rows) == {"Wedding/Ceremony/portrait_6.jpg", "Wedding/Ceremony/landscape_3.jpg",
                         "Wedding/Ceremony/DSCN0010.jpg", "Wedding/IMG_9999.jpg", "Wedding/copy-of-portrait.jpg",
                         "Wedding/IMG_9999.xmp", "Wedding/broken.jpg"}
    states = {name: row.get_attribute("class").split()[-1] for name, row in rows.items()}
    assert states["Wedding/IMG_9999.xmp"] == "skipped"
    assert states["Wedding/copy-of-portrait.jpg"] == "duplicate" or states["Wedding/Ceremony/portrait_6.jpg"] == "duplicate"
    assert states["Wedding/broken.jpg"] == "failed"
    assert rows["Wedding/broken.jpg"].locator(".upload-reason").inner_text().strip()  # a reason, in words
    assert [s for n, s in states.items() if n.endswith(("landscape_3.jpg", "DSCN0010.jpg", "IMG_9999.jpg"))] == ["ready"] * 3
    page.wait_for_function("document.querySelectorAll('.cell.ready').length === 4")
    studio.axe("uploads")
    studio.shot("uploaded")
    ready = [p for p in photos_of(gallery.id) if p.status == "ready"]
    names = {p.original_filename for p in ready}
    assert len(ready) == 4 and {"landscape_3.jpg", "DSCN0010.jpg", "IMG_9999.jpg"} < names


def test_upload_a_folder_on_local_storage_then_organise(studio, make_photographer, make_gallery, tmp_path):
    photographer, api = make_photographer(email="ola@studio.example", locale=studio.lang)
    gallery = make_gallery(photographer, title="Upload test")
    studio.login("ola@studio.example")
    studio.open(f"g/{gallery.id}/photos")
    page = studio.page
    page.wait_for_selector(".empty")
    studio.axe("empty photos")
    upload_folder_and_check(studio, gallery, shoot_folder(tmp_path))
    failed = next(p for p in photos_of(gallery.id) if p.status == "failed")
    assert failed.original_filename == "broken.jpg" and failed.failure_reason

    # Dropping the same folder again sends nothing: every photo is already there.
    sent = []
    page.on("request", lambda r: r.method == "POST" and r.url.endswith("/photos") and sent.append(r.url))
    page.click(f".upload-panel button:has-text({studio.t('upload.dismiss')!r})")
    page.set_input_files("input[webkitdirectory]", str(tmp_path / "Wedding" / "Ceremony"))
    page.wait_for_function("document.querySelectorAll('.upload-row.duplicate').length === 3")
    assert sent == []

    # Sets: create two, rename, reorder, upload onto a set by dropping files on it.
    for name in ("Ceremony", "Party"):
        page.click(f"button:has-text({studio.t('sets.new')!r})")
        page.fill("#new-set", name)
        page.press("#new-set", "Enter")
        page.wait_for_selector(f".set-name:has-text({name!r})")
    party = page.locator(".set", has_text="Party")
    party.hover()
    party.locator(f"button[aria-label={studio.t('sets.renameNamed', name='Party')!r}]").click()
    page.fill("input[id^=rename-]", "Reception")
    page.press("input[id^=rename-]", "Enter")
    page.wait_for_selector(".set-name:has-text('Reception')")
    reception = page.locator(".set", has_text="Reception")
    reception.hover()
    reception.locator(f"button[aria-label={studio.t('sets.up', name='Reception')!r}]").click()
    page.wait_for_function("document.querySelectorAll('.set-name')[1].textContent.startsWith('Reception')")
    db.session.expire_all()
    assert [s.name for s in db.session.get(Gallery, gallery.id).sets] == ["Reception", "Ceremony"]

    # Select: click, shift-click, then move to a set; hide; make cover; delete.
    page.click(f".set-name:has-text({studio.t('sets.all')!r})")
    cells = page.locator(".cell")
    cells.nth(0).click()
    cells.nth(2).click(modifiers=["Shift"])
    page.wait_for_selector(".toolbar .count:has-text('3')")
    page.select_option("#move-to", label="Ceremony")
    ceremony = db.session.scalar(select(GallerySet).where(GallerySet.gallery_id == gallery.id, GallerySet.name == "Ceremony"))
    wait_for(lambda: len([p for p in photos_of(gallery.id) if p.set_id == ceremony.id]) == 3, timeout=10)
    page.click(f"button:has-text({studio.t('photos.hide')!r})")
    wait_for(lambda: sum(p.hidden_from_guests for p in photos_of(gallery.id)) == 3, timeout=10)
    page.wait_for_function("document.querySelectorAll('.cell .flag').length >= 3")
    page.click(f"button[aria-label={studio.t('photos.clear')!r}]")

    # Drag a rectangle over the second row's start: photos it touches are selected.
    box = cells.nth(3).bounding_box()
    page.mouse.move(box["x"] - 4, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert page.locator(".cell.on").count() == 1
    page.click(f"button:has-text({studio.t('photos.cover')!r})")
    studio.toast(studio.t("photos.coverSet"))
    chosen = page.locator(".cell.on").get_attribute("data-id")
    wait_for(lambda: db.session.get(Gallery, gallery.id).cover_photo_id == chosen or db.session.expire_all(), timeout=10)
    studio.axe("photos selected")
    studio.shot("photos-selected")

    # Order by file name, then move a photo by hand (drag the selected photo before the first one).
    page.click(f"button[aria-label={studio.t('photos.clear')!r}]")
    page.select_option("#order", "filename")
    studio.toast(studio.t("photos.sorted"))
    wait_for(lambda: [p.original_filename for p in photos_of(gallery.id)]
             == sorted((p.original_filename for p in photos_of(gallery.id)), key=str.lower), timeout=10)
    names = [p.original_filename for p in photos_of(gallery.id)]
    last = page.locator(".cell").nth(4)
    last.click()
    last.drag_to(page.locator(".cell").nth(0))
    wait_for(lambda: photos_of(gallery.id)[0].original_filename == names[4], timeout=10)

    # Delete two with a confirmation; the failed upload goes too.
    page.click(f"button[aria-label={studio.t('photos.clear')!r}]")
    page.wait_for_function("!document.querySelector('.cell.on')")
    cells.nth(0).click()
    cells.nth(4).click(modifiers=["Control"])
    page.click(f".toolbar button:has-text({studio.t('photos.delete')!r})")
    page.click("dialog button.danger")
    page.wait_for_function("document.querySelectorAll('.cell').length === 3")
    wait_for(lambda: len(photos_of(gallery.id)) == 3, timeout=10)

    # Delete a set: its photos stay.
    reception = page.locator(".set", has_text="Ceremony")
    reception.hover()
    reception.locator(f"button[aria-label={studio.t('sets.deleteNamed', name='Ceremony')!r}]").click()
    page.click("dialog button.danger")
    page.wait_for_function("!document.querySelector('.set-name') || ![...document.querySelectorAll('.set-name')].some(e => e.textContent.startsWith('Ceremony'))")
    assert len(photos_of(gallery.id)) == 3
    assert studio.errors == []


def test_upload_straight_to_s3_with_resume(studio, app, s3_for_browsers, rq_redis, make_photographer, make_gallery, tmp_path):
    photographer, api = make_photographer(email="s3@studio.example", locale=studio.lang)
    gallery = make_gallery(photographer, title="S3 test")
    five_mib = 5 * 1024 * 1024
    big = tmp_path / "big" / "DSC_BIG.jpg"
    big.parent.mkdir()
    big.write_bytes((PHOTOS / "landscape_3.jpg").read_bytes() + b"\0" * (11 * 1024 * 1024))
    small = tmp_path / "small"
    small.mkdir()
    for name in FILES[:2]:
        shutil.copy(PHOTOS / name, small / name)
    bucket_puts = []
    with swapped_settings(app, direct_upload_multipart_threshold=five_mib, direct_upload_part_size=five_mib):
        # An earlier session planned the big file and sent its first part, then the laptop went to sleep.
        data = big.read_bytes()
        planned = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
            "filename": big.name, "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg"}).json
        import httpx

        httpx.put(planned["plan"]["parts"][0]["url"], content=data[:five_mib]).raise_for_status()

        studio.login("s3@studio.example")
        studio.open(f"g/{gallery.id}/photos")
        page = studio.page
        page.wait_for_selector(".cell.uploading")  # the unfinished upload shows in the grid
        page.on("request", lambda r: r.method == "PUT" and s3_for_browsers.bucket in r.url and bucket_puts.append(r.url))
        page.set_input_files("input[type=file][accept]",
                             [str(big), *(str(p) for p in sorted(small.iterdir()))])
        page.wait_for_function("document.querySelectorAll('.upload-row.processing, .upload-row.ready').length === 3",
                               timeout=120000)
    # Two single PUTs and the two missing parts of the big file: part 1 was not sent again.
    assert len(bucket_puts) == 4 and sum("partNumber=1&" in u or u.endswith("partNumber=1") for u in bucket_puts) == 0
    run_worker_burst(rq_redis)
    page.wait_for_function("document.querySelectorAll('.upload-row.ready').length === 3", timeout=60000)
    page.wait_for_function("document.querySelectorAll('.cell.ready').length === 3", timeout=30000)
    ready = photos_of(gallery.id)
    assert sorted(p.original_filename for p in ready) == sorted(["DSC_BIG.jpg", *FILES[:2]])
    assert all(p.status == "ready" for p in ready) and s3_for_browsers.size(ready[0].storage_key) > 0
    studio.shot("s3-uploaded")
    assert studio.errors == []
