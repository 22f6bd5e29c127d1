use dates::{Date, DateError, Weekday};

fn d(text: &str) -> Date {
    Date::parse(text).expect(text)
}

#[test]
fn parses_a_date() {
    let date = d("2024-03-15");
    assert_eq!((date.year(), date.month(), date.day()), (2024, 3, 15));
}

#[test]
fn rejects_other_shapes() {
    assert_eq!(Date::parse("2024-3-15"), Err(DateError::Format));
    assert_eq!(Date::parse("15/03/2024"), Err(DateError::Format));
}

#[test]
fn rejects_days_that_do_not_exist() {
    assert_eq!(Date::parse("2023-02-29"), Err(DateError::OutOfRange));
    assert_eq!(Date::parse("2024-13-01"), Err(DateError::OutOfRange));
}

#[test]
fn leap_day() {
    assert!(Date::parse("2024-02-29").is_ok());
}

#[test]
fn adds_days_across_months_and_years() {
    assert_eq!(d("2024-01-31").add_days(1), d("2024-02-01"));
    assert_eq!(d("2023-12-31").add_days(1), d("2024-01-01"));
    assert_eq!(d("2024-03-01").add_days(-1), d("2024-02-29"));
}

#[test]
fn counts_days_between_dates() {
    assert_eq!(d("2024-01-01").days_until(d("2025-01-01")), 366);
    assert_eq!(d("2024-01-10").days_until(d("2024-01-01")), -9);
}

#[test]
fn weekdays() {
    assert_eq!(d("2024-01-01").weekday(), Weekday::Monday);
    assert_eq!(d("2024-03-15").weekday(), Weekday::Friday);
}

#[test]
fn displays_as_iso() {
    assert_eq!(d("2024-03-05").to_string(), "2024-03-05");
}
