//! Facts about where output goes: a terminal or not, and how wide it is.

use std::io::IsTerminal;

/// The output's terminal, if it is one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    pub is_tty: bool,
    /// Width in cells: COLUMNS when set, else the terminal's own.
    pub width: Option<usize>,
}

impl Terminal {
    /// Looks at stdout.
    pub fn stdout() -> Terminal {
        let stdout = std::io::stdout();
        let is_tty = stdout.is_terminal();
        let from_env = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .filter(|w| *w > 0);
        let width = from_env.or_else(|| {
            if is_tty {
                terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0 as usize)
            } else {
                None
            }
        });
        Terminal { is_tty, width }
    }
}
