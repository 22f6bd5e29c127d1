import billing.totals

def test_renamed():
    assert billing.totals.compute_total([(1.0, 2), (3.0, 1)]) == 5.0
    assert not hasattr(billing.totals, "calc" + "_total")
