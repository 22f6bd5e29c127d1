use dates::{Date, DateError, Weekday};

fn d(text: &str) -> Date {
    Date::parse(text).expect(text)
}

#[test]
fn century_leap_rules() {
    assert!(Date::parse("2000-02-29").is_ok());
    assert!(Date::parse("1600-02-29").is_ok());
    assert_eq!(Date::parse("1900-02-29"), Err(DateError::OutOfRange));
    assert_eq!(Date::parse("2100-02-29"), Err(DateError::OutOfRange));
    assert_eq!(Date::parse("2024-02-30"), Err(DateError::OutOfRange));
}

#[test]
fn month_lengths() {
    for (month, days) in [(1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 31)] {
        assert!(Date::new(2023, month, days).is_ok(), "2023-{month}-{days}");
        assert_eq!(Date::new(2023, month, days + 1), Err(DateError::OutOfRange), "2023-{month}-{}", days + 1);
    }
}

#[test]
fn range_limits() {
    assert!(Date::parse("0001-01-01").is_ok());
    assert!(Date::parse("9999-12-31").is_ok());
    assert_eq!(Date::parse("0000-12-31"), Err(DateError::OutOfRange));
    assert_eq!(Date::parse("2024-00-10"), Err(DateError::OutOfRange));
    assert_eq!(Date::parse("2024-01-00"), Err(DateError::OutOfRange));
    assert_eq!(Date::parse("2024-01-32"), Err(DateError::OutOfRange));
    assert_eq!(Date::new(0, 1, 1), Err(DateError::OutOfRange));
    assert_eq!(Date::new(10000, 1, 1), Err(DateError::OutOfRange));
    assert_eq!(Date::new(-5, 1, 1), Err(DateError::OutOfRange));
    assert_eq!(Date::new(2024, 0, 1), Err(DateError::OutOfRange));
}

#[test]
fn strict_format() {
    for bad in [
        "", "2024-01-1", "2024-1-01", "24-01-01", "02024-01-01", "2024-01-01 ", " 2024-01-01", "2024/01/01", "20240101",
        "2024-01-01T00:00", "+024-01-01", "2024-+1-01", "2024-01--1", "abcd-ef-gh", "２０２４-01-01", "2024–01–01",
    ] {
        assert_eq!(Date::parse(bad), Err(DateError::Format), "{bad:?}");
    }
}

#[test]
fn new_matches_parse() {
    assert_eq!(Date::new(2024, 2, 29), Ok(d("2024-02-29")));
    assert_eq!(Date::new(2023, 2, 29), Err(DateError::OutOfRange));
}

#[test]
fn display_pads_with_zeros() {
    assert_eq!(Date::new(42, 3, 7).unwrap().to_string(), "0042-03-07");
    assert_eq!(d("0001-01-01").to_string(), "0001-01-01");
    assert_eq!(format!("{}", d("9999-12-31")), "9999-12-31");
}

#[test]
fn long_spans() {
    assert_eq!(d("2024-02-29").add_days(365), d("2025-02-28"));
    assert_eq!(d("2000-01-01").add_days(36524), d("2099-12-31"));
    assert_eq!(d("1900-01-01").days_until(d("2000-01-01")), 36524);
    assert_eq!(d("2000-01-01").days_until(d("2100-01-01")), 36525);
    assert_eq!(d("0001-01-01").days_until(d("9999-12-31")), 3652058);
    assert_eq!(d("9999-12-31").add_days(-3652058), d("0001-01-01"));
    assert_eq!(d("1999-12-31").add_days(0), d("1999-12-31"));
    assert_eq!(d("2024-05-05").days_until(d("2024-05-05")), 0);
}

#[test]
fn add_then_count_round_trips() {
    let start = d("1987-06-15");
    for n in [-100000i64, -1000, -59, -1, 1, 28, 29, 365, 366, 1461, 146097, 200000] {
        let end = start.add_days(n);
        assert_eq!(start.days_until(end), n, "{start} + {n} = {end}");
        assert_eq!(end.add_days(-n), start);
    }
}

#[test]
fn weekdays_over_the_centuries() {
    assert_eq!(d("2000-01-01").weekday(), Weekday::Saturday);
    assert_eq!(d("0001-01-01").weekday(), Weekday::Monday);
    assert_eq!(d("1969-07-20").weekday(), Weekday::Sunday);
    assert_eq!(d("1900-03-01").weekday(), Weekday::Thursday);
    assert_eq!(d("9999-12-31").weekday(), Weekday::Friday);
    assert_eq!(d("2024-02-29").weekday(), Weekday::Thursday);
    let days = [
        Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday,
    ];
    for (i, day) in days.iter().enumerate() {
        assert_eq!(d("2024-01-01").add_days(i as i64).weekday(), *day);
    }
}

#[test]
fn calendar_order() {
    assert!(d("2023-12-31") < d("2024-01-01"));
    assert!(d("2024-02-01") > d("2024-01-31"));
    assert!(d("0999-12-31") < d("1000-01-01"));
    let mut dates = vec![d("2024-03-01"), d("1999-12-31"), d("2024-02-29"), d("2024-01-15")];
    dates.sort();
    let texts: Vec<String> = dates.iter().map(|x| x.to_string()).collect();
    assert_eq!(texts, ["1999-12-31", "2024-01-15", "2024-02-29", "2024-03-01"]);
}
