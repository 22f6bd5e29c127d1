def apply_discount(amount, percent):
    """Returns amount reduced by `percent` percent (10 means 10%)."""
    return amount - amount * percent / 100
