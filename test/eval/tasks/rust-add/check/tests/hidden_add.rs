use adder::add;

#[test]
fn adds_two_integers() {
    assert_eq!(add(2, 3), 5);
    assert_eq!(add(-4, 1), -3);
    assert_eq!(add(0, 0), 0);
}
