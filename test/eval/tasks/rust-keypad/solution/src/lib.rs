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

pub struct Keypad {
    code: String,
    master: String,
    state: State,
    entry: String,
    failures: u32,
}

fn valid(code: &str) -> bool {
    (4..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

impl Keypad {
    pub fn new(code: &str, master: &str) -> Result<Keypad, KeypadError> {
        if !valid(code) || !valid(master) {
            return Err(KeypadError::InvalidCode);
        }
        if code == master {
            return Err(KeypadError::SameCodes);
        }
        Ok(Keypad { code: code.to_string(), master: master.to_string(), state: State::Locked, entry: String::new(), failures: 0 })
    }

    /// Handles one key and returns the state after it.
    pub fn press(&mut self, key: char) -> State {
        match (self.state, key) {
            (State::Unlocked, '#') => self.state = State::Locked,
            (State::Unlocked, _) => {}
            (_, '0'..='9') => self.entry.push(key),
            (_, '*') => self.entry.clear(),
            (_, '#') => self.submit(),
            _ => {}
        }
        self.state
    }

    fn submit(&mut self) {
        let entry = std::mem::take(&mut self.entry);
        if entry.is_empty() {
            return;
        }
        if self.state == State::Alarm {
            if entry == self.master {
                self.state = State::Locked;
                self.failures = 0;
            }
        } else if entry == self.code {
            self.state = State::Unlocked;
            self.failures = 0;
        } else {
            self.failures += 1;
            if self.failures >= 3 {
                self.state = State::Alarm;
            }
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// Wrong codes entered in a row while locked.
    pub fn failed_attempts(&self) -> u32 {
        self.failures
    }
}
