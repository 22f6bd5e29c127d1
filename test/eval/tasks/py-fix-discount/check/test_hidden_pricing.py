from shop.pricing import apply_discount
from shop.cart import Cart

def test_pricing():
    assert apply_discount(200, 25) == 150
    assert apply_discount(50, 0) == 50

def test_cart_discount():
    c = Cart(); c.add("x", 40.0, 2)
    assert c.total(50) == 40.0
