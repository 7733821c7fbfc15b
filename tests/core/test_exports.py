"""One CSV writer and one text sanitiser for everything exported."""
import csv
import io

from gallery.core.exports import csv_writer, one_line


def test_formulas_are_neutralised():
    out = io.StringIO()
    csv_writer(out).writerow(["=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)", "\tx", "ok", 5, "＝1+1"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [
        "'=HYPERLINK(\"http://evil\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "ok", "5", "'＝1+1"]


def test_one_line():
    assert one_line("Kari\r\nBcc: x@example.com\u2028more\x00") == "Kari Bcc: x@example.com more"
    assert one_line(None) == ""


def test_activity_csv_and_lightroom_export_are_safe(app, make_photographer, make_gallery, make_photo, make_share_link,
                                                    identify_visitor):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True, selection_limit=5)
    photo = make_photo(gallery, filename="DSC_0001\nDSC_9999.jpg")
    link = make_share_link(gallery)
    token = identify_visitor(link, "kari@example.com", name='=HYPERLINK("http://evil","x")\nforged line')
    http = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert http.put(f"/api/v1/share/{link.token}/favourites/{photo.id}", json={}, headers=auth).status_code in (200, 201)
    assert http.post(f"/api/v1/share/{link.token}/selection/submit", json={"note": "a\nb"}, headers=auth).status_code in (200, 201)
    exported = api.get(f"/api/v1/galleries/{gallery.id}/activity", headers={"Accept": "text/csv"}).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported)))
    names = {row[3] for row in rows[1:] if row[3]}
    assert names and all(name.startswith("'=") for name in names)
    text = api.get(f"/api/v1/galleries/{gallery.id}/selections?format=text").get_data(as_text=True)
    assert text.count("\n") == 1 and "DSC_0001 DSC_9999" in text
