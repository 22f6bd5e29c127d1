use keypad::{Keypad, KeypadError, State};

fn keypad() -> Keypad {
    Keypad::new("1234", "99999").expect("valid codes")
}

fn enter(pad: &mut Keypad, keys: &str) -> State {
    let mut state = pad.state();
    for key in keys.chars() {
        state = pad.press(key);
    }
    state
}

#[test]
fn starts_locked() {
    let pad = keypad();
    assert_eq!(pad.state(), State::Locked);
    assert_eq!(pad.failed_attempts(), 0);
}

#[test]
fn the_user_code_unlocks() {
    let mut pad = keypad();
    assert_eq!(enter(&mut pad, "1234"), State::Locked);
    assert_eq!(pad.press('#'), State::Unlocked);
}

#[test]
fn hash_locks_again() {
    let mut pad = keypad();
    enter(&mut pad, "1234#");
    assert_eq!(pad.press('#'), State::Locked);
}

#[test]
fn a_wrong_code_is_a_failed_attempt() {
    let mut pad = keypad();
    assert_eq!(enter(&mut pad, "1111#"), State::Locked);
    assert_eq!(pad.failed_attempts(), 1);
}

#[test]
fn three_wrong_codes_sound_the_alarm() {
    let mut pad = keypad();
    assert_eq!(enter(&mut pad, "1#2#3#"), State::Alarm);
}

#[test]
fn the_master_code_stops_the_alarm() {
    let mut pad = keypad();
    enter(&mut pad, "1#2#3#");
    assert_eq!(enter(&mut pad, "1234#"), State::Alarm);
    assert_eq!(enter(&mut pad, "99999#"), State::Locked);
    assert_eq!(pad.failed_attempts(), 0);
}

#[test]
fn star_clears_the_entry() {
    let mut pad = keypad();
    assert_eq!(enter(&mut pad, "12*1234#"), State::Unlocked);
}

#[test]
fn codes_are_checked() {
    assert_eq!(Keypad::new("12", "99999").err(), Some(KeypadError::InvalidCode));
    assert_eq!(Keypad::new("1234", "1234").err(), Some(KeypadError::SameCodes));
}
