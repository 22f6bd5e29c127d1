//! Calendar dates (proleptic Gregorian, years 1 to 9999): parsing, arithmetic, weekdays.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// The text is not of the form YYYY-MM-DD.
    Format,
    /// The numbers do not name a real day in the years 1 to 9999.
    OutOfRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        unimplemented!("Date::new({year}, {month}, {day})")
    }

    pub fn parse(text: &str) -> Result<Date, DateError> {
        unimplemented!("Date::parse({text:?})")
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn day(self) -> u32 {
        self.day
    }

    /// The date `days` days later (earlier when negative).
    pub fn add_days(self, days: i64) -> Date {
        unimplemented!("Date::add_days({days})")
    }

    /// Days from `self` to `other`: positive when `other` is later.
    pub fn days_until(self, other: Date) -> i64 {
        unimplemented!("Date::days_until({other:?})")
    }

    pub fn weekday(self) -> Weekday {
        unimplemented!("Date::weekday")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        unimplemented!("Display for Date")
    }
}
