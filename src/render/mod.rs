//! Renderers: they turn prepared cells or values into text on any `Write`.

pub mod csv;
pub mod escape;
pub mod json;
pub mod pstree;
pub mod show;
pub mod table;
pub mod text;
pub mod theme;

pub use escape::escape_bytes;
pub use theme::Theme;
