//! The `table` format: a borderless table drawn by tabled, colored by the
//! theme and, on a terminal, fitted to its width by cutting the command
//! column last, with a marker.

use std::io::{self, Write};

use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Modify, Padding, Style};

use super::text::{Cell, TextGrid, cut_to_width};
use super::theme::{CellKind, Theme};
use crate::columns::Align;

/// Options of the table renderer.
#[derive(Debug, Clone, Copy)]
pub struct TableOptions {
    pub header: bool,
    /// The terminal width to fit, if any.
    pub width: Option<usize>,
    /// The column cut first when the table is too wide (the command).
    pub elastic_column: Option<usize>,
    pub theme: Theme,
}

/// The marker put where a cell was cut.
pub const CUT_MARKER: &str = "…";

/// Writes the grid as a table.
pub fn write_table(out: &mut dyn Write, grid: &TextGrid, opts: TableOptions) -> io::Result<()> {
    let widths = grid.widths(opts.header);
    let budget = match (opts.width, opts.elastic_column) {
        (Some(width), Some(col)) => {
            let others: usize = widths
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != col)
                .map(|(_, w)| w + 1)
                .sum();
            Some((
                col,
                width
                    .saturating_sub(others)
                    .max(grid.headers[col].chars().count()),
            ))
        }
        _ => None,
    };
    let fit = |i: usize, cell: &Cell| -> String {
        match budget {
            Some((col, room)) if col == i && cell.width() > room => {
                let cut = cut_to_width(&cell.text, room.saturating_sub(1));
                format!("{}{CUT_MARKER}", opts.theme.paint(cell.kind, cut))
            }
            _ => opts.theme.paint(cell.kind, &cell.text),
        }
    };
    let mut builder = Builder::with_capacity(grid.rows.len() + 1, grid.headers.len());
    if opts.header {
        builder.push_record(
            grid.headers
                .iter()
                .map(|h| opts.theme.paint(CellKind::Header, h)),
        );
    }
    for row in &grid.rows {
        builder.push_record(row.iter().enumerate().map(|(i, c)| fit(i, c)));
    }
    if builder.count_records() == 0 {
        return Ok(());
    }
    let mut table = builder.build();
    table.with(Style::blank()).with(Padding::zero());
    for (i, align) in grid.aligns.iter().enumerate() {
        if *align == Align::Right {
            table.with(Modify::new(Columns::one(i)).with(Alignment::right()));
        }
    }
    for line in table.to_string().lines() {
        out.write_all(line.trim_end().as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> TextGrid {
        let cell = |s: &str| Cell::new(s.to_string(), CellKind::Plain);
        TextGrid {
            headers: vec!["PID".into(), "COMMAND".into()],
            aligns: vec![Align::Right, Align::Left],
            rows: vec![vec![cell("7"), cell("a very long command line here")]],
        }
    }

    fn render(width: Option<usize>) -> String {
        let mut out = Vec::new();
        let opts = TableOptions {
            header: true,
            width,
            elastic_column: Some(1),
            theme: Theme::plain(),
        };
        write_table(&mut out, &grid(), opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn aligns_without_cutting() {
        assert_eq!(
            render(None),
            "PID COMMAND\n  7 a very long command line here\n"
        );
    }

    #[test]
    fn cuts_command_with_marker() {
        let text = render(Some(16));
        assert_eq!(text, "PID COMMAND\n  7 a very long…\n");
        assert!(text.lines().all(|l| l.chars().count() <= 16));
    }
}
