"""What the studio reads and writes about proofing: replies to comments and every visitor's favourite lists."""


def test_favourite_lists_per_visitor(make_photographer, make_gallery, make_photo, make_share_link, visitor_actions):
    photographer, api = make_photographer()
    other, other_api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    photos = [make_photo(gallery, filename=f"DSC_{i}.jpg") for i in range(3)]
    kari = visitor_actions(make_share_link(gallery), "kari@example.com", "Kari")
    guest = visitor_actions(make_share_link(gallery, role="guest"), "aunt@example.com", "Aunt")
    kari.favourite(photos[2].id, note="cover")
    kari.favourite(photos[0].id)
    kari.submit(note="Thanks!")
    guest.favourite(photos[1].id)

    lists = api.get(f"/api/v1/galleries/{gallery.id}/favourite-lists").json["items"]
    by_email = {item["visitor"]["email"]: item for item in lists}
    assert by_email["kari@example.com"]["selection_status"] == "submitted"
    assert [(p["filename"], p["note"]) for p in by_email["kari@example.com"]["photos"]] == [("DSC_0.jpg", None), ("DSC_2.jpg", "cover")]
    assert by_email["aunt@example.com"]["selection_status"] is None and by_email["aunt@example.com"]["count"] == 1
    # The default list is a marker each face names in its own language, not an English name.
    assert all(item["is_default"] for item in lists)
    selections = api.get(f"/api/v1/galleries/{gallery.id}/selections").json["items"]
    assert [selection["list_is_default"] for selection in selections] == [True]
    assert other_api.get(f"/api/v1/galleries/{gallery.id}/favourite-lists").status_code == 404
