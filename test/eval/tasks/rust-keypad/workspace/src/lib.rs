//! A door keypad: a user code unlocks, three wrong codes in a row sound the alarm, and only the
//! master code stops it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Locked,
    Unlocked,
    Alarm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeypadError {
    /// A code that is not 4 to 8 ASCII digits.
    InvalidCode,
    /// The user code and the master code are the same.
    SameCodes,
}

pub struct Keypad {}

impl Keypad {
    pub fn new(code: &str, master: &str) -> Result<Keypad, KeypadError> {
        unimplemented!("Keypad::new({code:?}, {master:?})")
    }

    /// Handles one key and returns the state after it.
    pub fn press(&mut self, key: char) -> State {
        unimplemented!("Keypad::press({key:?})")
    }

    pub fn state(&self) -> State {
        unimplemented!("Keypad::state")
    }

    /// Wrong codes entered in a row while locked.
    pub fn failed_attempts(&self) -> u32 {
        unimplemented!("Keypad::failed_attempts")
    }
}
