//! Colors, decided once per run: whether to color at all, and the style of
//! each kind of cell.

use owo_colors::{OwoColorize, Style};

use crate::cli::ColorWhen;

/// The coloring of cells. A disabled theme returns text unchanged.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    enabled: bool,
}

/// What a cell shows, for choosing its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Header,
    /// A process state letter (or STAT).
    State(char),
    /// A CPU or memory percentage.
    Load(u32),
    /// A kernel thread's cell.
    Kernel,
    /// A highlighted match.
    Match,
    /// Tree drawing characters.
    TreeLines,
    /// A user-change marker or user name other than root.
    User,
    Plain,
}

impl Theme {
    /// Decides from `--color`, NO_COLOR, FORCE_COLOR / CLICOLOR_FORCE,
    /// whether stdout is a terminal and whether TERM names one that takes
    /// colors (set and not `dumb`).
    pub fn decide(when: ColorWhen, stdout_is_terminal: bool) -> Theme {
        let env_set =
            |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        let enabled = match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                if env_set("FORCE_COLOR") || env_set("CLICOLOR_FORCE") {
                    true
                } else if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                    false
                } else {
                    stdout_is_terminal
                        && crate::terminal::term_allows_color(std::env::var_os("TERM").as_deref())
                }
            }
        };
        Theme { enabled }
    }

    /// A theme that never colors.
    pub fn plain() -> Theme {
        Theme { enabled: false }
    }

    /// Whether colors are on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn style(kind: CellKind) -> Option<Style> {
        let s = Style::new();
        Some(match kind {
            CellKind::Header => s.bold(),
            CellKind::State('R') => s.green().bold(),
            CellKind::State('D') => s.yellow(),
            CellKind::State('Z') => s.red().bold(),
            CellKind::State('T' | 't') => s.magenta(),
            CellKind::Load(p) if p >= 50 => s.red().bold(),
            CellKind::Load(p) if p >= 10 => s.yellow(),
            CellKind::Kernel => s.dimmed(),
            CellKind::Match => s.bright_yellow().bold(),
            CellKind::TreeLines => s.dimmed(),
            CellKind::User => s.cyan(),
            _ => return None,
        })
    }

    /// Paints `text` (already escaped) for a cell of this kind.
    pub fn paint(&self, kind: CellKind, text: &str) -> String {
        match (self.enabled, Theme::style(kind)) {
            (true, Some(style)) => text.style(style).to_string(),
            _ => text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_theme_leaves_text_alone() {
        let t = Theme::plain();
        assert_eq!(t.paint(CellKind::State('R'), "R"), "R");
    }

    #[test]
    fn enabled_theme_adds_escape_codes() {
        let t = Theme::decide(ColorWhen::Always, false);
        let painted = t.paint(CellKind::State('Z'), "Z");
        assert!(painted.contains("\x1b["), "{painted:?}");
        assert_eq!(t.paint(CellKind::Plain, "x"), "x");
        assert!(!Theme::decide(ColorWhen::Never, true).enabled());
    }
}
