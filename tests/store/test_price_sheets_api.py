from tests.plugins.problems import problem


def test_price_sheet_lifecycle(photographer_api):
    created = photographer_api.post("/api/v1/price-sheets", json={
        "name": "Wedding 2026", "currency": "nok", "tax_rate": "25", "payment_instructions": "Vipps 91234567", "shipping_flat": 9900,
        "free_shipping_over": 150000, "products": [
            {"kind": "print", "name": "Print 13x18", "price": 19900},
            {"kind": "digital_gallery", "name": "All photos", "price": 250000}]})
    assert created.status_code == 201, created.json
    sheet = created.json
    assert sheet["currency"] == "NOK" and sheet["tax_rate"] == "25.00" and sheet["tax_included"] is True
    assert [p["name"] for p in sheet["products"]] == ["Print 13x18", "All photos"]
    print_id, gallery_id = sheet["products"][0]["id"], sheet["products"][1]["id"]

    # The product list replaces: updated by id, added without id, left-out ones retired (kept inactive).
    patched = photographer_api.patch(f"/api/v1/price-sheets/{sheet['id']}", json={
        "tax_rate": "12.5", "products": [{"id": print_id, "kind": "print", "name": "Print 13x18", "price": 21900},
                                         {"kind": "canvas", "name": "Canvas", "price": 99000}]})
    assert patched.status_code == 200, patched.json
    products = {p["name"]: p for p in patched.json["products"]}
    assert patched.json["tax_rate"] == "12.50"
    assert products["Print 13x18"]["price"] == 21900 and products["Print 13x18"]["id"] == print_id
    assert products["All photos"]["active"] is False and products["All photos"]["id"] == gallery_id
    assert products["Canvas"]["active"] is True

    listed = photographer_api.get("/api/v1/price-sheets").json
    assert [s["id"] for s in listed["items"]] == [sheet["id"]]
    assert photographer_api.get(f"/api/v1/price-sheets/{sheet['id']}").json["name"] == "Wedding 2026"


def test_manual_payment_needs_instructions_and_currency_defaults_to_the_studios(make_photographer):
    _, api = make_photographer(locale="nb", timezone="Europe/Oslo")
    body = problem(api.post("/api/v1/price-sheets", json={"name": "Prints", "payment_instructions": "  "}), 422)
    assert set(body["errors"]) == {"payment_instructions"}
    sheet = api.post("/api/v1/price-sheets", json={"name": "Prints", "payment_instructions": "Vipps 91234567"}).json
    assert sheet["currency"] == "NOK"
    body = problem(api.patch(f"/api/v1/price-sheets/{sheet['id']}", json={"payment_instructions": None}), 422)
    assert set(body["errors"]) == {"payment_instructions"}
    assert api.patch(f"/api/v1/price-sheets/{sheet['id']}", json={"name": "Prints 2027"}).status_code == 200
    _, english = make_photographer()
    assert english.post("/api/v1/price-sheets", json={"name": "P", "payment_instructions": "IBAN"}).json["currency"] == "EUR"
    assert english.get("/api/v1/me").json["default_currency"] == "EUR"


def test_price_sheet_validation(photographer_api):
    body = problem(photographer_api.post("/api/v1/price-sheets", json={
        "name": "", "currency": "EURO", "tax_rate": "101", "shipping_flat": -1, "payment_provider": "paypal",
        "products": [{"kind": "poster", "name": "x", "price": 10}, {"kind": "print", "name": "x", "price": -5},
                     {"kind": "print", "name": "x", "price": 12.5}]}), 422)
    assert {"name", "currency", "tax_rate", "shipping_flat", "payment_provider", "products.0.kind",
            "products.1.price", "products.2.price"} <= set(body["errors"])


def test_stripe_needs_configuration(photographer_api):
    body = problem(photographer_api.post("/api/v1/price-sheets", json={
        "name": "Online", "currency": "EUR", "payment_provider": "stripe"}), 422)
    assert "not configured" in body["detail"] and "payment_provider" in body["errors"]


def test_product_ids_of_another_sheet_are_refused(photographer_api):
    first = photographer_api.post("/api/v1/price-sheets", json={
        "name": "A", "currency": "EUR", "payment_instructions": "IBAN",
        "products": [{"kind": "print", "name": "P", "price": 100}]}).json
    second = photographer_api.post("/api/v1/price-sheets", json={"name": "B", "currency": "EUR",
                                                                  "payment_instructions": "IBAN"}).json
    body = problem(photographer_api.patch(f"/api/v1/price-sheets/{second['id']}", json={
        "products": [{"id": first["products"][0]["id"], "kind": "print", "name": "Stolen", "price": 1}]}), 422)
    assert "products.0.id" in body["errors"]
    assert photographer_api.get(f"/api/v1/price-sheets/{first['id']}").json["products"][0]["name"] == "P"


def test_gallery_uses_only_its_photographers_price_sheet(make_photographer):
    _, alice = make_photographer()
    _, bob = make_photographer()
    bobs = bob.post("/api/v1/price-sheets", json={"name": "Bob", "currency": "EUR", "payment_instructions": "IBAN"}).json
    alices = alice.post("/api/v1/price-sheets", json={"name": "Alice", "currency": "EUR", "payment_instructions": "IBAN"}).json
    body = problem(alice.post("/api/v1/galleries", json={"title": "G", "price_sheet_id": bobs["id"]}), 422)
    assert "price_sheet_id" in body["errors"]
    gallery = alice.post("/api/v1/galleries", json={"title": "G", "price_sheet_id": alices["id"]}).json
    assert gallery["price_sheet_id"] == alices["id"]
    problem(alice.patch(f"/api/v1/galleries/{gallery['id']}", json={"price_sheet_id": bobs["id"]}), 422)
    assert alice.patch(f"/api/v1/galleries/{gallery['id']}", json={"price_sheet_id": None}).json["price_sheet_id"] is None
    problem(alice.get(f"/api/v1/price-sheets/{bobs['id']}"), 404)
