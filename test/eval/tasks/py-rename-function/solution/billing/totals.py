def compute_total(lines):
    """Sum of price * quantity over invoice lines."""
    return sum(price * qty for price, qty in lines)
