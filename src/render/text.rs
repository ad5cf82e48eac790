//! Cells prepared for text output, and the space-aligned writer used by the
//! `plain` format and the procps-compatible layouts.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::theme::{CellKind, Theme};
use crate::columns::Align;

/// One escaped cell and what it shows (for coloring).
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub kind: CellKind,
}

impl Cell {
    pub fn new(text: String, kind: CellKind) -> Cell {
        Cell { text, kind }
    }

    /// Display width in terminal cells.
    pub fn width(&self) -> usize {
        self.text.width()
    }
}

/// A grid of escaped cells with headers.
#[derive(Debug, Clone, Default)]
pub struct TextGrid {
    pub headers: Vec<String>,
    pub aligns: Vec<Align>,
    pub rows: Vec<Vec<Cell>>,
}

impl TextGrid {
    /// The widest cell (or header) of each column.
    pub fn widths(&self, with_header: bool) -> Vec<usize> {
        let mut widths: Vec<usize> = if with_header {
            self.headers.iter().map(|h| h.width()).collect()
        } else {
            vec![0; self.headers.len()]
        };
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        widths
    }
}

/// Options of the aligned writer.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    pub header: bool,
    /// Cut each line to this many cells (procps on a terminal without `w`).
    pub max_width: Option<usize>,
    pub theme: Theme,
}

/// Writes the grid with columns separated by one space; the last column is
/// not padded when left-aligned.
pub fn write_text(out: &mut dyn Write, grid: &TextGrid, opts: TextOptions) -> io::Result<()> {
    let widths = grid.widths(opts.header);
    let mut line = String::with_capacity(256);
    if opts.header {
        let cells: Vec<Cell> = grid
            .headers
            .iter()
            .map(|h| Cell::new(h.clone(), CellKind::Header))
            .collect();
        write_line(out, &mut line, &cells, &widths, &grid.aligns, opts)?;
    }
    for row in &grid.rows {
        write_line(out, &mut line, row, &widths, &grid.aligns, opts)?;
    }
    Ok(())
}

fn write_line(
    out: &mut dyn Write,
    line: &mut String,
    cells: &[Cell],
    widths: &[usize],
    aligns: &[Align],
    opts: TextOptions,
) -> io::Result<()> {
    line.clear();
    let mut used = 0usize;
    let last = cells.len().saturating_sub(1);
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(' ');
            used += 1;
        }
        let w = cell.width();
        let pad = widths[i].saturating_sub(w);
        let (left, right) = match aligns[i] {
            Align::Right => (pad, 0),
            Align::Left if i == last => (0, 0),
            Align::Left => (0, pad),
        };
        let mut text: &str = &cell.text;
        let mut shown = w;
        if let Some(max) = opts.max_width {
            let room = max.saturating_sub(used + left);
            if w > room {
                text = cut_to_width(&cell.text, room);
                shown = text.width();
            }
        }
        line.extend(std::iter::repeat_n(' ', left));
        line.push_str(&opts.theme.paint(cell.kind, text));
        used += left + shown;
        if opts.max_width.is_some_and(|m| used >= m) {
            break;
        }
        line.extend(std::iter::repeat_n(' ', right));
        used += right;
    }
    let trimmed = line.trim_end_matches(' ');
    out.write_all(trimmed.as_bytes())?;
    out.write_all(b"\n")
}

/// The longest prefix of `text` that fits in `room` terminal cells.
pub fn cut_to_width(text: &str, room: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            return &text[..i];
        }
        used += w;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> TextGrid {
        let cell = |s: &str| Cell::new(s.to_string(), CellKind::Plain);
        TextGrid {
            headers: vec!["PID".into(), "USER".into(), "COMMAND".into()],
            aligns: vec![Align::Right, Align::Left, Align::Left],
            rows: vec![
                vec![cell("1"), cell("root"), cell("/sbin/init splash")],
                vec![cell("12345"), cell("ab"), cell("sleep 10")],
            ],
        }
    }

    fn render(opts: TextOptions) -> String {
        let mut out = Vec::new();
        write_text(&mut out, &grid(), opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn aligns_columns() {
        let opts = TextOptions {
            header: true,
            max_width: None,
            theme: Theme::plain(),
        };
        assert_eq!(
            render(opts),
            "  PID USER COMMAND\n    1 root /sbin/init splash\n12345 ab   sleep 10\n"
        );
    }

    #[test]
    fn cuts_lines_and_drops_header() {
        let opts = TextOptions {
            header: false,
            max_width: Some(16),
            theme: Theme::plain(),
        };
        assert_eq!(render(opts), "    1 root /sbin\n12345 ab   sleep\n");
    }

    #[test]
    fn cut_respects_wide_characters() {
        assert_eq!(cut_to_width("日本語", 5), "日本");
        assert_eq!(cut_to_width("abc", 10), "abc");
    }
}
