use keypad::{Keypad, KeypadError, State};

fn enter(pad: &mut Keypad, keys: &str) -> State {
    let mut state = pad.state();
    for key in keys.chars() {
        state = pad.press(key);
    }
    state
}

#[test]
fn code_rules() {
    assert!(Keypad::new("1234", "5678").is_ok());
    assert!(Keypad::new("12345678", "0000").is_ok());
    for bad in ["", "123", "123456789", "12a4", "12 34", "-1234", "١٢٣٤"] {
        assert_eq!(Keypad::new(bad, "5678").err(), Some(KeypadError::InvalidCode), "user code {bad:?}");
        assert_eq!(Keypad::new("5678", bad).err(), Some(KeypadError::InvalidCode), "master code {bad:?}");
    }
    assert_eq!(Keypad::new("00000", "00000").err(), Some(KeypadError::SameCodes));
}

#[test]
fn success_resets_the_failures() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    enter(&mut pad, "1111#2222#");
    assert_eq!(pad.failed_attempts(), 2);
    assert_eq!(enter(&mut pad, "2468#"), State::Unlocked);
    assert_eq!(pad.failed_attempts(), 0);
    assert_eq!(pad.press('#'), State::Locked);
    assert_eq!(enter(&mut pad, "1#2#"), State::Locked);
    assert_eq!(pad.press('3'), State::Locked);
    assert_eq!(pad.press('#'), State::Alarm);
}

#[test]
fn an_empty_submission_does_nothing() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    assert_eq!(enter(&mut pad, "####"), State::Locked);
    assert_eq!(pad.failed_attempts(), 0);
    assert_eq!(enter(&mut pad, "12*#"), State::Locked);
    assert_eq!(pad.failed_attempts(), 0);
}

#[test]
fn the_entry_must_match_exactly() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    assert_eq!(enter(&mut pad, "24680#"), State::Locked);
    assert_eq!(enter(&mut pad, "246#"), State::Locked);
    assert_eq!(pad.failed_attempts(), 2);
    assert_eq!(enter(&mut pad, "12468#"), State::Alarm);
}

#[test]
fn submitting_clears_the_entry() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    enter(&mut pad, "24#");
    assert_eq!(enter(&mut pad, "68#"), State::Locked);
    assert_eq!(pad.failed_attempts(), 2);
    assert_eq!(enter(&mut pad, "2468#"), State::Unlocked);
}

#[test]
fn other_keys_are_ignored() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    assert_eq!(enter(&mut pad, "2a4 6x8!#"), State::Unlocked);
    assert_eq!(enter(&mut pad, "A b"), State::Unlocked);
}

#[test]
fn unlocked_ignores_digits_and_star() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    enter(&mut pad, "2468#");
    assert_eq!(enter(&mut pad, "1111*9"), State::Unlocked);
    assert_eq!(pad.press('#'), State::Locked);
    assert_eq!(enter(&mut pad, "2468#"), State::Unlocked, "digits typed while unlocked were not kept");
}

#[test]
fn the_user_code_does_not_stop_the_alarm() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    enter(&mut pad, "0#0#0#");
    assert_eq!(enter(&mut pad, "2468#2468#2468#0#"), State::Alarm);
    assert_eq!(enter(&mut pad, "135*13579#"), State::Locked);
    assert_eq!(pad.failed_attempts(), 0);
    assert_eq!(enter(&mut pad, "13579#"), State::Locked, "the master code is not the user code");
    assert_eq!(pad.failed_attempts(), 1);
}

#[test]
fn after_the_alarm_it_takes_three_new_failures() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    enter(&mut pad, "0#0#0#13579#");
    assert_eq!(enter(&mut pad, "0#0#"), State::Locked);
    assert_eq!(enter(&mut pad, "0#"), State::Alarm);
}

#[test]
fn state_matches_press() {
    let mut pad = Keypad::new("2468", "13579").unwrap();
    for key in "0#2468##9#9#9#13579#".chars() {
        let returned = pad.press(key);
        assert_eq!(returned, pad.state());
    }
}
