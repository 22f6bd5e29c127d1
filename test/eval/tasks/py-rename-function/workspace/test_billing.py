from billing.invoice import invoice_text


def test_invoice_text():
    assert invoice_text("ACME", [(10.0, 2)]) == "ACME: 20.00"
