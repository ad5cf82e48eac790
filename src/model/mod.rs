//! The process model: plain structs read from /proc, with no printing.

pub mod detail;
pub mod net;
pub mod process;
pub mod read;
pub mod system;
pub mod tree;
pub mod tty;
pub mod users;

pub use process::{Needs, ProcessInfo};
pub use read::{ProcSource, Snapshot};
pub use system::SystemFacts;
