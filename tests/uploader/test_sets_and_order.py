"""Sets from sub-folders or --set, gallery order by capture time or file name, --dry-run, where the token
comes from (environment, OS keyring)."""
import os
import subprocess

from tests.plugins.uploads import PHOTOS, PROJECT


def _set_names(api, gallery_id):
    return {s["id"]: s["name"] for s in api.get(f"/api/v1/galleries/{gallery_id}").json["sets"]}


def test_sub_folders_become_sets_in_capture_order(app, served, make_photographer, make_gallery, tmp_path,
                                                  photo_taken_at, start_uploader, photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    existing = api.post(f"/api/v1/galleries/{gallery.id}/sets", json={"name": "Reception"}).json
    folder = tmp_path / "Smith wedding"
    for sub in ("Ceremony", "Reception", "Getting ready"):
        (folder / sub).mkdir(parents=True)
    photo_taken_at(folder / "Getting ready" / "Z_0100.jpg", "2024:06:01 10:05:00")
    photo_taken_at(folder / "Getting ready" / "A_0300.jpg", "2024:06:01 10:01:00", source=PHOTOS / "portrait_2.jpg")
    photo_taken_at(folder / "Ceremony" / "B_0001.jpg", "2024:06:01 14:00:00", source=PHOTOS / "landscape_3.jpg")
    photo_taken_at(folder / "Reception" / "C_0002.jpg", "2024:06:01 19:30:00", source=PHOTOS / "landscape_4.jpg")
    photo_taken_at(folder / "cover.jpg", None, source=PHOTOS / "landscape_5.jpg")  # no capture time: last

    process = start_uploader(served, api.token, gallery.id, folder, "--sets-from-folders", "--quiet")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    names = _set_names(api, gallery.id)
    assert sorted(names.values()) == ["Ceremony", "Getting ready", "Reception"]  # Reception reused, not doubled
    assert existing["id"] in names
    rows = photo_rows(gallery.id)
    assert [(p.original_filename, names.get(p.set_id)) for p in rows] == [
        ("A_0300.jpg", "Getting ready"), ("Z_0100.jpg", "Getting ready"), ("B_0001.jpg", "Ceremony"),
        ("C_0002.jpg", "Reception"), ("cover.jpg", None)]
    # The sets the run created follow the day: getting ready, then the ceremony.
    created = [s["name"] for s in api.get(f"/api/v1/galleries/{gallery.id}").json["sets"]]
    assert created.index("Getting ready") < created.index("Ceremony")

    again = start_uploader(served, api.token, gallery.id, folder, "--sets-from-folders", "--order", "name", "-q")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0 and "uploaded 0, already there 5" in out
    assert [p.original_filename for p in photo_rows(gallery.id)] == [
        "B_0001.jpg", "cover.jpg", "A_0300.jpg", "Z_0100.jpg", "C_0002.jpg"]  # by path: Ceremony/, cover, Getting...


def test_set_flag_and_dry_run(app, served, make_photographer, make_gallery, export_folder, start_uploader,
                              photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = export_folder(small=3)
    (folder / "notes.txt").write_text("not a photo")
    dry = start_uploader(served, api.token, gallery.id, folder, "--set", "Portraits", "--dry-run")
    out, err = dry.communicate(timeout=60)
    assert dry.returncode == 0, err
    assert "would upload 3, resume 0, already there 0, not images 1" in out
    assert "Portraits (new)" in out and "landscape_1.jpg" in out
    assert photo_rows(gallery.id) == [] and _set_names(api, gallery.id) == {}  # nothing sent, nothing created

    run = start_uploader(served, api.token, gallery.id, folder, "--set", "Portraits", "-q")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    (set_id, name), = _set_names(api, gallery.id).items()
    assert name == "Portraits" and {p.set_id for p in photo_rows(gallery.id)} == {set_id}


def test_token_from_the_environment_or_the_keyring(app, served, make_photographer, make_gallery, export_folder,
                                                   tmp_path, uploader_script):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = export_folder(small=2)
    env = {k: v for k, v in os.environ.items() if k not in {"GALLERY_TOKEN", "GALLERY_API_TOKEN"}}
    env.update(PYTHON_KEYRING_BACKEND="tests.uploader.file_keyring.FileKeyring",
               GALLERY_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
               PYTHONPATH=os.pathsep.join([str(PROJECT), env.get("PYTHONPATH", "")]))
    command = [str(uploader_script), str(folder), "--gallery", gallery.id, "--url", served, "-q"]

    missing = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "No API token" in missing.stderr

    saved = subprocess.run([*command, "--dry-run", "--token", api.token, "--save-token"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert saved.returncode == 0, saved.stderr
    assert api.token in (tmp_path / "keyring.json").read_text()
    from_keyring = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert from_keyring.returncode == 0 and "uploaded 2" in from_keyring.stdout, from_keyring.stderr

    wrong_env = subprocess.run(command, env={**env, "GALLERY_TOKEN": "wrong"}, capture_output=True, text=True,
                               timeout=60)
    assert wrong_env.returncode == 1 and "401" in wrong_env.stderr  # the environment comes before the keyring


def test_a_second_run_reads_hashes_from_the_cache(app, served, make_photographer, make_gallery, export_folder,
                                                  start_uploader, hash_cache):
    import sqlite3

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    folder = export_folder(small=2)
    first = start_uploader(served, api.token, gallery.id, folder, "-q")
    assert first.wait(120) == 0
    cached = dict(sqlite3.connect(hash_cache).execute("SELECT path, sha256 FROM hashes").fetchall())
    assert sorted(cached) == sorted(str(p.resolve()) for p in folder.iterdir())
    # A changed file (new mtime) is hashed again; the cache never serves a stale hash for it.
    changed = sorted(folder.iterdir())[0]
    changed.write_bytes((PHOTOS / "portrait_4.jpg").read_bytes())
    second = start_uploader(served, api.token, gallery.id, folder, "-q")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0 and "uploaded 1, already there 1" in out, err
