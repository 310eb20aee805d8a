"""Reports: the Board pack (xlsx, docx, html). No Streamlit; reads through the warehouse views.

- ``board_pack.board_pack_data(path, partnership_id, period)`` gathers everything once;
- ``board_pack.to_xlsx(pack)``, ``to_docx(pack)``, ``to_html(pack)`` return the file as bytes.
"""
