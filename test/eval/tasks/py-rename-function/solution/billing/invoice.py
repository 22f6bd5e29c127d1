from billing.totals import compute_total


def invoice_text(customer, lines):
    return f"{customer}: {compute_total(lines):.2f}"
