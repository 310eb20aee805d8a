"""The officer downloads the Board pack from the Exceptions page in a real browser."""

import io

import openpyxl
import pytest
from docx import Document

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test__browser__download_the_board_pack_in_three_formats(app_server, page, tmp_path):
    page.goto(f"{app_server}/exceptions")
    sign_in(page)
    page.get_by_role("heading", name="Board pack").wait_for()
    files = {}
    for label in ("Excel workbook", "Word appendix", "Web page with charts"):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        files[target.suffix] = target
    assert set(files) == {".xlsx", ".docx", ".html"}
    book = openpyxl.load_workbook(io.BytesIO(files[".xlsx"].read_bytes()))
    assert "Summary" in book.sheetnames
    text = "\n".join(p.text for p in Document(str(files[".docx"])).paragraphs)
    assert "Appendix 1" in text
    assert "<html" in files[".html"].read_text("utf-8").lower()
    assert files[".xlsx"].name.startswith("board-pack-Wyvern-Vale-Partnership-2010-11-Q4")
