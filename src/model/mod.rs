//! The process model: plain structs read from /proc, with no printing.

pub mod cgroup;
pub mod detail;
pub mod extras;
pub mod files;
pub mod holding;
pub mod limits;
pub mod maps;
pub mod memory;
pub mod namespaces;
pub mod net;
pub mod process;
pub mod read;
pub mod sched;
pub mod sdlogin;
pub mod security;
pub mod sock_diag;
pub mod system;
pub mod tree;
pub mod tty;
pub mod unix;
pub mod unreadable;
pub mod users;

pub use process::{Needs, ProcessInfo};
pub use read::{ProcSource, Snapshot};
pub use system::SystemFacts;
