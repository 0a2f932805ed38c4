"""Every page has the center's icon, which the server ships (no 404 for a favicon anywhere)."""

import pytest
import requests

pytestmark = pytest.mark.browser

PAGES = ["/", "/kiosk", "/kiosk/k1", "/display", "/display/tang-2", "/display/counter/1", "/counter", "/tablet/1",
         "/dashboard", "/reports", "/reports/monthly", "/admin", "/admin/voice", "/public", "/lay-so", "/dat-lich", "/lich-hen"]


def test_every_page_links_an_icon_the_server_ships_and_loads_nothing_missing(page, live_server):
    live_server.start()
    status_url = live_server.post("/api/v1/tickets", {"service": "HT"}).json()["status_url"]
    page.request.post(live_server.url + "/api/v1/auth/login", data={"username": "admin", "password": "demo"})
    failed = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    for path in PAGES + [status_url.replace(live_server.url, "")]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        icon = page.get_attribute("link[rel=icon]", "href")
        assert icon, f"{path} links no icon"
        answer = page.request.get(live_server.url + icon)
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml"), (path, icon)
    assert not failed, failed
    legacy = requests.get(live_server.url + "/favicon.ico", timeout=5)  # asked for by browsers themselves
    assert legacy.status_code == 200 and legacy.headers["Content-Type"].startswith("image/svg+xml")
