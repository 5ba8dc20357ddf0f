"""Saved views in a real browser: save the current page with its filters, find it in the Views menu on
another page, open it; a hostile name shows as text."""

from __future__ import annotations

from browser_helpers import goto

from warehouse import saved_views

HOSTILE = '<img src=x onerror="document.title=1">Views'


def open_menu(page):
    page.locator(".hk-views-menu .dropdown-toggle").click()
    page.wait_for_selector(".hk-views-menu .dropdown-menu.show")


def test_save_a_view_and_open_it_from_another_page(page, server, page_problems, tmp_path):
    goto(page, f"{server.url}/influencers?platform=Instagram")
    open_menu(page)
    page.get_by_text("Save this view…").click()
    page.fill("#views-name", "Instagram creators")
    page.click("#views-save")
    page.wait_for_selector("#views-status :text('Saved “Instagram creators”')")
    page.fill("#views-name", HOSTILE)
    page.click("#views-save")
    page.wait_for_selector("#views-status .alert-success")
    page.screenshot(path=str(tmp_path / "saved-view-dialog.png"))
    page.click("#views-close")

    goto(page, f"{server.url}/campaigns")
    open_menu(page)
    assert page.locator(".hk-view-item", has_text=HOSTILE).count() == 1  # shown as text, never as markup
    page.screenshot(path=str(tmp_path / "views-menu.png"))
    page.locator(".hk-view-item", has_text="Instagram creators").click()
    page.wait_for_url("**/influencers?platform=Instagram")
    assert page.title() != "1"
    assert not page_problems, page_problems
    for name in ("Instagram creators", HOSTILE):
        saved_views.delete_view(name, server.db_path.parent / "hkdash-views.sqlite3")
