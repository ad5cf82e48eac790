//! The `table` format: a borderless table drawn by tabled, colored by the
//! theme and, on a terminal, fitted to its width by cutting the command
//! column last, with a marker.

use std::io::{self, Write};

use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Modify, Padding, Style};

use super::text::{Cell, TextGrid, TextOptions, cut_to_width, write_text};
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

/// Writes the grid as a table. Without colors or a width to fit, tabled's
/// layout is exactly the aligned text layout, which streams far faster, so
/// pipes get that.
pub fn write_table(out: &mut dyn Write, grid: &TextGrid, opts: TableOptions) -> io::Result<()> {
    if !opts.theme.enabled() && opts.width.is_none() {
        let text = TextOptions {
            header: opts.header,
            max_width: None,
            theme: opts.theme,
        };
        return write_text(out, grid, text);
    }
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

    #[test]
    fn tabled_layout_equals_the_streaming_layout() {
        let cell = |s: &str| Cell::new(s.to_string(), CellKind::Plain);
        let grid = TextGrid {
            headers: vec!["PID".into(), "USER".into(), "%CPU".into(), "COMMAND".into()],
            aligns: vec![Align::Right, Align::Left, Align::Right, Align::Left],
            rows: vec![
                vec![cell("1"), cell("root"), cell("0.0"), cell("init")],
                vec![
                    cell("31337"),
                    cell("nobody"),
                    cell("12.5"),
                    cell("日本語 x"),
                ],
            ],
        };
        // A width wider than the table makes write_table draw with tabled, uncut.
        let opts = TableOptions {
            header: true,
            width: Some(500),
            elastic_column: Some(3),
            theme: Theme::plain(),
        };
        let mut drawn = Vec::new();
        write_table(&mut drawn, &grid, opts).unwrap();
        let mut streamed = Vec::new();
        write_table(
            &mut streamed,
            &grid,
            TableOptions {
                width: None,
                ..opts
            },
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(drawn).unwrap(),
            String::from_utf8(streamed).unwrap()
        );
    }
}
