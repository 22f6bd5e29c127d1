from shop.cart import Cart


def test_total_without_discount():
    cart = Cart()
    cart.add("pen", 2.5, 4)
    assert cart.total() == 10.0


def test_total_with_discount():
    cart = Cart()
    cart.add("book", 20.0)
    assert cart.total(10) == 18.0
