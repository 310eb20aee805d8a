from analytics.warehouse.connection import reader


def test__catalogue__every_new_warehouse_holds_the_national_indicator_set(empty_warehouse):
    con = reader(empty_warehouse)
    total, final = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE in_final_set) FROM catalogue_indicator"
    ).fetchall()[0]
    assert (total, final) == (199, 198)
    assert con.execute(
        "SELECT in_final_set FROM catalogue_indicator WHERE code = 'NI 31'"
    ).fetchall() == [(False,)]
    assert con.execute(
        "SELECT in_final_set FROM catalogue_indicator WHERE code = 'NI 199'"
    ).fetchall() == [(True,)]


def test__catalogue__polarity_blank_in_the_csv_means_no_judgement(empty_warehouse):
    con = reader(empty_warehouse)
    rows = dict(
        con.execute(
            "SELECT code, polarity FROM catalogue_indicator"
            " WHERE code IN ('NI 12', 'NI 191', 'NI 1')"
        ).fetchall()
    )
    assert rows == {"NI 12": "none", "NI 191": "lower", "NI 1": "higher"}
