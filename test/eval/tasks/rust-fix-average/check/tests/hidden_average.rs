use statkit::average;

#[test]
fn hidden_average() {
    assert_eq!(average(&[]), 0.0);
    assert_eq!(average(&[1, 2]), 1.5);
    assert_eq!(average(&[5]), 5.0);
}
