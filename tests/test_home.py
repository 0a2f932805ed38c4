"""The start page of a center's server."""


def test_the_start_page_links_every_screen(client):
    page = client.get("/").get_data(as_text=True)
    assert "Trung tâm thử nghiệm" in page
    for link in ("/kiosk/k1", "/kiosk", "/display", "/counter", "/dashboard", "/admin", "/public", "/tablet/4", "/display/counter/1"):
        assert f'href="{link}"' in page
    assert "Ticket kiosk" in client.get("/?lang=en").get_data(as_text=True)
