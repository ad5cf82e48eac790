//! Which columns the table shows, and the fields screen (`f`) that
//! chooses them: top's own columns and every ps key, each with a toggle,
//! as top's fields management screen (top(1), "3b. MANAGING Fields").

use super::columns::{COLUMNS, Shown};
use super::keys::{KeyColumn, offered};
use super::state::{Action, Key, Mode, TopState};
use crate::columns::keys::KeySpec;

/// The columns chosen: top's own (some may be hidden) and ps keys.
#[derive(Debug, Clone, Default)]
pub struct ColumnSet {
    /// Which of top's own columns are hidden, by index into [`COLUMNS`].
    hidden: Vec<usize>,
    /// ps keys, in the order chosen.
    pub keys: Vec<KeyColumn>,
}

/// One line of the fields screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// One of top's own columns, by index into [`COLUMNS`].
    Top(usize),
    Key(&'static KeySpec),
}

/// The last of top's columns, the command, runs to the edge of the screen
/// and holds the tree's branches: always shown, always last.
fn command_index() -> usize {
    COLUMNS.len() - 1
}

impl ColumnSet {
    /// Top's columns and these keys.
    pub fn new(keys: Vec<KeyColumn>) -> ColumnSet {
        ColumnSet {
            hidden: Vec::new(),
            keys,
        }
    }

    /// The columns in the order drawn: top's own, the keys, the command.
    pub fn shown(&self) -> Vec<Shown> {
        let command = command_index();
        let mut shown: Vec<Shown> = (0..command)
            .filter(|i| !self.hidden.contains(i))
            .map(Shown::Top)
            .collect();
        shown.extend(self.keys.iter().cloned().map(Shown::Key));
        shown.push(Shown::Top(command));
        shown
    }

    /// Whether an entry is shown.
    pub fn is_on(&self, entry: Entry) -> bool {
        match entry {
            Entry::Top(i) => !self.hidden.contains(&i),
            Entry::Key(spec) => self.keys.iter().any(|k| k.spec.key == spec.key),
        }
    }

    /// Shows an entry, or hides it (the command stays).
    pub fn toggle(&mut self, entry: Entry) {
        match entry {
            Entry::Top(i) if i == command_index() => {}
            Entry::Top(i) => match self.hidden.iter().position(|&h| h == i) {
                Some(at) => {
                    self.hidden.remove(at);
                }
                None => self.hidden.push(i),
            },
            Entry::Key(spec) => match self.keys.iter().position(|k| k.spec.key == spec.key) {
                Some(at) => {
                    self.keys.remove(at);
                }
                None => self.keys.push(KeyColumn::of(spec)),
            },
        }
    }
}

/// Every line of the fields screen: top's columns, then ps's keys.
pub fn entries() -> Vec<Entry> {
    (0..COLUMNS.len())
        .map(Entry::Top)
        .chain(offered().map(Entry::Key))
        .collect()
}

/// The name an entry is listed and found by.
fn entry_name(entry: Entry) -> &'static str {
    match entry {
        Entry::Top(i) => COLUMNS[i].keys[0],
        Entry::Key(spec) => spec.key,
    }
}

/// The text of an entry's line: its toggle, where it comes from, its name
/// and header; `>` marks the selected line (also without colors).
pub fn entry_line(set: &ColumnSet, entry: Entry, selected: bool) -> String {
    let arrow = if selected { ">" } else { " " };
    let mark = match entry {
        Entry::Top(i) if i == command_index() => "[=]",
        _ if set.is_on(entry) => "[x]",
        _ => "[ ]",
    };
    match entry {
        Entry::Top(i) => format!(
            "{arrow} {mark} top {:<14} {}",
            entry_name(entry),
            COLUMNS[i].header
        ),
        Entry::Key(spec) => format!("{arrow} {mark} ps  {:<14} {}", entry_name(entry), spec.head),
    }
}

impl TopState {
    /// A key on the fields screen, whose selected line is `cursor`.
    pub(super) fn fields_key(&mut self, cursor: usize, key: Key) -> Action {
        let all = entries();
        let last = all.len() - 1;
        let page = self.layout().rows.max(1);
        let cursor = match key {
            Key::Esc | Key::Enter | Key::Char('q' | 'f') => return Action::None,
            Key::Char(' ' | 'd') => {
                self.columns.toggle(all[cursor]);
                self.columns_changed();
                self.mode = Mode::Fields { cursor };
                // A key may need files the frame did not read.
                return Action::Refresh;
            }
            Key::Up | Key::WheelUp => cursor.saturating_sub(1),
            Key::Down | Key::WheelDown => (cursor + 1).min(last),
            Key::PageUp => cursor.saturating_sub(page),
            Key::PageDown => (cursor + page).min(last),
            Key::Home => 0,
            Key::End => last,
            // Another letter finds the next entry whose name starts with it.
            Key::Char(c) => (1..=last)
                .map(|step| (cursor + step) % all.len())
                .find(|&i| entry_name(all[i]).starts_with(c))
                .unwrap_or(cursor),
            _ => cursor,
        };
        self.mode = Mode::Fields { cursor };
        Action::None
    }
}
