pub mod stats;
pub use self::stats::average;
