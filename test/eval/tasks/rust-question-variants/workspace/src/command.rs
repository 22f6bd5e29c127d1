#[derive(Debug, PartialEq)]
pub enum Command {
    Add,
    Remove,
    List,
    Clear,
    Help,
}

impl Command {
    pub fn parse(s: &str) -> Option<Command> {
        match s {
            "add" => Some(Command::Add),
            "remove" => Some(Command::Remove),
            "list" => Some(Command::List),
            "clear" => Some(Command::Clear),
            "help" => Some(Command::Help),
            _ => None,
        }
    }
}
