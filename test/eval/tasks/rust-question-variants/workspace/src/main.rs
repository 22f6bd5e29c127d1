mod command;
use command::Command;

fn main() {
    let c = Command::parse("add");
    println!("{:?}", c);
}
