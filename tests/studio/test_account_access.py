"""Account access in the studio, in a real browser at 1280x800, through the real app: the signed-in browsers
listed and "sign out everywhere else" really ending another browser's session; an API token made with chosen
scopes (its secret shown once) that works within them and answers 401 once revoked; allowed origins typed in
the studio effective for a real cross-origin preflight from another origin's page."""
from __future__ import annotations

from tests.conftest import ApiClient
from tests.studio.conftest import PASSWORD


def test_sessions_listed_and_sign_out_everywhere_ends_the_other_browser(studio, chromium, make_photographer):
    make_photographer(email="ida@studio.example", studio_name="Ida Foto", locale=studio.lang)
    # Another browser (its own context, its own cookie) signs in first.
    _, browser = chromium
    other_context = browser.new_context(viewport={"width": 1280, "height": 800})
    other = other_context.new_page()
    other.goto(f"{studio.base}/studio#/login")
    other.fill("#email", "ida@studio.example")
    other.fill("#password", PASSWORD)
    other.click("form button[type=submit]")
    other.wait_for_selector("nav.sidebar")
    assert other.evaluate("fetch('/api/v1/me').then(r => r.status)") == 200

    studio.login("ida@studio.example")
    page = studio.page
    page.click("a.nav-item[href='#/account']")
    page.wait_for_selector("table.sessions tbody tr >> nth=1")
    rows = page.locator("table.sessions tbody tr")
    assert rows.count() == 2
    assert rows.filter(has_text=studio.t("access.thisBrowser")).count() == 1
    assert "Chrome" in rows.first.inner_text()
    studio.axe("account sessions")
    page.evaluate("document.querySelector('#sessions-title').scrollIntoView()")
    studio.shot("account-sessions")

    page.click("#sign-out-everywhere")
    page.wait_for_selector("dialog[open]")
    studio.axe("sign out everywhere confirmation")
    page.click("dialog button.danger")
    page.wait_for_function("document.querySelectorAll('table.sessions tbody tr').length === 1")
    # The other browser is signed out for real; this one is not.
    assert other.evaluate("fetch('/api/v1/me').then(r => r.status)") == 401
    other.reload()
    other.wait_for_selector("#email")
    assert page.evaluate("fetch('/api/v1/me').then(r => r.status)") == 200
    other_context.close()
    assert studio.errors == []


def test_token_with_chosen_scopes_works_within_them_and_is_401_once_revoked(studio, app, make_photographer):
    make_photographer(email="ola@studio.example", studio_name="Ola Foto", locale=studio.lang)
    studio.login("ola@studio.example")
    page = studio.page
    studio.open("account")
    page.wait_for_selector("#token-name")
    assert page.input_value("#a-zone") == "UTC"  # the account's zone is shown even where a browser's list lacks it
    page.uncheck("#scope-write")
    page.fill("#token-name", "Website gallery embed")
    page.click(".token-new button[type=submit]")
    page.wait_for_selector(".notice code")
    secret = page.locator(".notice code").inner_text()
    assert secret.startswith("gph_")
    row = page.locator("table.tokens tr", has_text="Website gallery embed")
    assert row.locator(".badge.scope").all_inner_texts() == [studio.t("access.scope.read")]
    studio.axe("account tokens")
    page.evaluate("document.querySelector('#tokens-title').scrollIntoView()")
    studio.shot("account-tokens")

    token = ApiClient(app.test_client(), secret)
    assert token.get("/api/v1/me").json["email"] == "ola@studio.example"
    denied = token.post("/api/v1/galleries", json={"title": "Not allowed"})
    assert denied.status_code == 403 and "write" in denied.json["detail"]
    assert token.get("/api/v1/auth/tokens").status_code == 403  # the account scope was not chosen

    # Shown once: after a reload the secret is gone from the screen.
    page.reload()
    page.wait_for_selector("table.tokens")
    assert page.locator(".notice code").count() == 0
    page.locator("table.tokens tr", has_text="Website gallery embed").locator("button").click()
    page.click("dialog button.danger")
    page.wait_for_function("!document.querySelector('table.tokens') || "
                           "!document.querySelector('table.tokens').textContent.includes('Website gallery embed')")
    assert token.get("/api/v1/me").status_code == 401
    assert studio.errors == []


def test_allowed_origins_typed_in_the_studio_answer_a_real_preflight(studio, app, make_photographer):
    make_photographer(email="eva@studio.example", studio_name="Eva Foto", locale=studio.lang)
    studio.login("eva@studio.example")
    page = studio.page
    studio.open("account")
    page.wait_for_selector("#token-name")
    page.fill("#token-name", "My website")
    page.click(".token-new button[type=submit]")
    page.wait_for_selector(".notice code")
    secret = page.locator(".notice code").inner_text()

    # The photographer's website: another origin (same server, another host name), calling the API with a token.
    port = studio.base.rsplit(":", 1)[1]
    site_origin = f"http://localhost:{port}"
    site = page.context.new_page()
    site.goto(f"{site_origin}/healthz")
    call = ("async ([url, token]) => { try { const r = await fetch(url, {headers: {Authorization: 'Bearer ' + token}});"
            " return (await r.json()).email; } catch (e) { return 'blocked'; } }")
    assert site.evaluate(call, [f"{studio.base}/api/v1/me", secret]) == "blocked"

    # A path is not an origin: refused on the field.
    page.fill("#a-origins", "https://www.eva-foto.example/gallery")
    page.locator("form", has=page.locator("#a-origins")).locator("button[type=submit]").click()
    page.wait_for_selector(".field.invalid #a-origins")
    page.fill("#a-origins", f"HTTPS://WWW.Eva-Foto.example:443/\n{site_origin.upper().replace('HTTP://', 'http://')}")
    page.locator("form", has=page.locator("#a-origins")).locator("button[type=submit]").click()
    page.wait_for_function("document.querySelector('#a-origins').value.includes('https://www.eva-foto.example')")
    assert page.input_value("#a-origins") == f"https://www.eva-foto.example\n{site_origin}"
    studio.axe("account origins")
    page.evaluate("document.querySelector('#a-origins').scrollIntoView()")
    studio.shot("account-origins")

    assert site.evaluate(call, [f"{studio.base}/api/v1/me", secret]) == "eva@studio.example"
    site.close()
    assert studio.errors == []
