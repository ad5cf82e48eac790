//! Drawing the live view with ratatui. It only reads the state: the
//! summary with bars, the table (only the rows on screen are formatted),
//! the status line, and the dialog in front, if any.

use ratatui::Frame as Screen;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::batch::summary_lines;
use super::columns::{Align, COLUMNS, Shown};
use super::state::{Mode, TopState, signal_choices};
use super::summary::CpuShare;

/// Colors, or none (`--color never`, NO_COLOR): then only reverse video
/// marks the selection and the titles.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub color: bool,
}

impl Palette {
    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    fn titles(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Green)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    fn sorted_title(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    fn selected(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    fn state(&self, state: char) -> Style {
        match state {
            'R' => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            'D' => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            'Z' => self.fg(Color::Magenta),
            'T' | 't' => self.fg(Color::Yellow),
            _ => Style::new(),
        }
    }

    fn load(&self, percent: f64) -> Style {
        if percent >= 50.0 {
            self.fg(Color::Red).add_modifier(Modifier::BOLD)
        } else if percent >= 10.0 {
            self.fg(Color::Yellow)
        } else {
            Style::new()
        }
    }
}

/// Draws the whole screen.
pub fn draw(screen: &mut Screen, state: &TopState, palette: Palette) {
    let area = screen.area();
    let layout = state.layout();
    let header = Rect::new(area.x, area.y, area.width, layout.header.min(area.height));
    screen.render_widget(Paragraph::new(summary(state, palette, area.width)), header);
    if let Mode::Details {
        title,
        lines,
        scroll,
    } = &state.mode
    {
        let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
        let text: Vec<Line> = lines
            .iter()
            .skip(*scroll)
            .map(|l| Line::raw(l.as_str()))
            .collect();
        screen.render_widget(Clear, body);
        screen.render_widget(
            Paragraph::new(text).block(Block::bordered().title(title.as_str())),
            body,
        );
    } else {
        draw_table(screen, state, palette, area);
    }
    let status = Rect::new(area.x, layout.status, area.width, 1);
    if status.y < area.bottom() {
        screen.render_widget(Paragraph::new(status_line(state, palette)), status);
    }
    match &state.mode {
        Mode::Help => draw_help(screen, area),
        Mode::Fields { cursor } => draw_fields(screen, area, state, *cursor, palette),
        Mode::ChooseSignal {
            choice,
            tree,
            target,
        } => draw_signals(screen, area, *choice, *tree, target.pid, palette),
        _ => {}
    }
}

fn summary(state: &TopState, palette: Palette, width: u16) -> Vec<Line<'static>> {
    let s = &state.frame.summary;
    let text = summary_lines(s, &state.frame.system.tz, state.threads);
    let mut first = format!("proctl {}", text[0]);
    if state.paused {
        first.push_str("  [paused]");
    }
    let mut lines = vec![Line::raw(first), Line::raw(text[1].clone())];
    let width = usize::from(width);
    lines.push(cpu_bar("CPU", &s.cpu, width, palette));
    let cores = &s.per_cpu;
    if super::state::header_lines(cores.len()) > 5 {
        let half = width / 2;
        for pair in cores.chunks(2).enumerate() {
            let (line, pair) = pair;
            let mut spans = Vec::new();
            for (k, share) in pair.iter().enumerate() {
                let label = format!("{:<3}", line * 2 + k);
                spans.extend(cpu_bar(&label, share, half.saturating_sub(1), palette).spans);
                spans.push(Span::raw(" "));
            }
            lines.push(Line::from(spans));
        }
    }
    let m = &s.memory;
    let gib = |kib: u64| super::columns::scaled_kib(kib, 5);
    let total = m.total.max(1) as f64;
    lines.push(bar(
        "Mem",
        &[
            (m.used() as f64 / total, palette.fg(Color::Green)),
            (
                (m.buff_cache.min(m.total - m.used().min(m.total))) as f64 / total,
                palette.fg(Color::Yellow),
            ),
        ],
        // What a new program can still have, as top's `avail Mem`.
        &format!(
            "{}/{} avail {}",
            gib(m.used()),
            gib(m.total),
            gib(m.available)
        ),
        width,
    ));
    let swap_total = m.swap_total.max(1) as f64;
    lines.push(bar(
        "Swp",
        &[(m.swap_used() as f64 / swap_total, palette.fg(Color::Red))],
        &format!("{}/{}", gib(m.swap_used()), gib(m.swap_total)),
        width,
    ));
    lines
}

fn cpu_bar(label: &str, c: &CpuShare, width: usize, palette: Palette) -> Line<'static> {
    bar(
        label,
        &[
            (c.nice / 100.0, palette.fg(Color::Blue)),
            (c.user / 100.0, palette.fg(Color::Green)),
            (
                (c.system + c.irq + c.softirq) / 100.0,
                palette.fg(Color::Red),
            ),
            (c.iowait / 100.0, palette.fg(Color::DarkGray)),
            (c.steal / 100.0, palette.fg(Color::Cyan)),
        ],
        &format!("{:.1}%", c.busy()),
        width,
    )
}

/// `LBL [|||||||        text]`: segments of `|` in their styles, the text
/// over the right end, as htop draws its meters.
fn bar(label: &str, segments: &[(f64, Style)], text: &str, width: usize) -> Line<'static> {
    let inner = width.saturating_sub(label.len() + 3).max(text.len());
    let mut cells: Vec<(char, Style)> = Vec::with_capacity(inner);
    for &(fraction, style) in segments {
        let n = (fraction.clamp(0.0, 1.0) * inner as f64).round() as usize;
        cells.extend(std::iter::repeat_n(
            ('|', style),
            n.min(inner - cells.len()),
        ));
    }
    cells.resize(inner, (' ', Style::new()));
    for (slot, ch) in cells[inner - text.len()..].iter_mut().zip(text.chars()) {
        *slot = (ch, Style::new().add_modifier(Modifier::BOLD));
    }
    let mut spans = vec![Span::raw(format!("{label} ["))];
    for (ch, style) in cells {
        spans.push(Span::styled(ch.to_string(), style));
    }
    spans.push(Span::raw("]"));
    Line::from(spans)
}

fn draw_table(screen: &mut Screen, state: &TopState, palette: Palette, area: Rect) {
    let layout = state.layout();
    if layout.titles >= area.height {
        return;
    }
    let mut titles = Vec::new();
    let shown = &state.shown;
    for (i, c) in shown.iter().enumerate() {
        let style = if *c == state.sort {
            palette.sorted_title()
        } else {
            palette.titles()
        };
        let last = i + 1 == shown.len();
        let text = if last {
            c.header().to_string()
        } else {
            padded(c.header(), c.width(), c.align())
        };
        titles.push(Span::styled(text, style));
        if !last {
            titles.push(Span::styled(" ", palette.titles()));
        }
    }
    let mut lines = vec![Line::from(titles).style(palette.titles())];
    for (line, row) in state
        .view
        .iter()
        .enumerate()
        .skip(state.scroll)
        .take(layout.rows)
    {
        let r = state.frame.row(row.index);
        let mut spans = Vec::with_capacity(shown.len() * 2);
        for (i, c) in shown.iter().enumerate() {
            let (cell, header) = match c {
                Shown::Top(t) => ((COLUMNS[*t].cell)(r), COLUMNS[*t].header),
                // Only the rows on screen are formatted; a value wider
                // than its column is cut, marked with `+` as top does.
                Shown::Key(k) => (cut(state.key_text(k, row.index), k.width), ""),
            };
            let style = match header {
                "S" => palette.state(r.p.state),
                "%CPU" => palette.load(r.d.cpu),
                "%MEM" => palette.load(r.d.mem),
                "USER" if r.p.euid == Some(0) => Style::new(),
                "USER" => palette.fg(Color::Cyan),
                _ if r.p.is_kernel_thread() => palette.fg(Color::DarkGray),
                _ => Style::new(),
            };
            if i + 1 == shown.len() {
                spans.push(Span::styled(
                    row.prefix.clone(),
                    palette.fg(Color::DarkGray),
                ));
                spans.push(Span::styled(cell, style));
            } else {
                spans.push(Span::styled(padded(&cell, c.width(), c.align()), style));
                spans.push(Span::raw(" "));
            }
        }
        let mut text = Line::from(spans);
        if line == state.cursor {
            // The whole width, so that the selection reads as a bar.
            let used: usize = text.width();
            text.spans.push(Span::raw(
                " ".repeat(usize::from(area.width).saturating_sub(used)),
            ));
            text = text.style(palette.selected());
        }
        lines.push(text);
    }
    let table = Rect::new(
        area.x,
        area.y + layout.titles,
        area.width,
        (layout.rows as u16 + 1).min(area.height - layout.titles),
    );
    screen.render_widget(Paragraph::new(lines), table);
}

/// A cell cut to `width` characters, its last one `+` when cut.
fn cut(cell: String, width: usize) -> String {
    if cell.chars().count() <= width || width == 0 {
        return cell;
    }
    let mut text: String = cell.chars().take(width - 1).collect();
    text.push('+');
    text
}

fn padded(cell: &str, width: usize, align: Align) -> String {
    match align {
        Align::Right => format!("{cell:>width$}"),
        Align::Left => format!("{cell:<width$}"),
    }
}

fn status_line(state: &TopState, palette: Palette) -> Line<'static> {
    if let Some(prompt) = state.prompt() {
        return Line::styled(prompt, Style::new().add_modifier(Modifier::BOLD));
    }
    if let Some(message) = &state.message {
        return Line::styled(message.clone(), palette.fg(Color::Yellow));
    }
    let mut hints = String::from(
        "? help  / filter  t tree  f fields  k signal  r renice  Enter details  q quit",
    );
    if !state.filter.is_empty() {
        hints = format!("[filter: {}]  {hints}", state.filter);
    }
    if state.tree {
        hints = format!("[tree]  {hints}");
    }
    Line::raw(hints)
}

/// A box of `width` by `height` in the middle of `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn draw_help(screen: &mut Screen, area: Rect) {
    let lines: Vec<Line> = TopState::help_lines().into_iter().map(Line::raw).collect();
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let rect = centered(area, width, lines.len() as u16 + 2);
    screen.render_widget(Clear, rect);
    screen.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys (any key closes) ")),
        rect,
    );
}

/// The fields screen: every column with its toggle, the selected line
/// kept in view.
fn draw_fields(screen: &mut Screen, area: Rect, state: &TopState, cursor: usize, palette: Palette) {
    let entries = super::fields::entries();
    let height = area.height.saturating_sub(2).max(3);
    let visible = usize::from(height - 2);
    let first = cursor.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, &entry)| {
            let text = super::fields::entry_line(&state.columns, entry, i == cursor);
            if i == cursor {
                Line::styled(text, palette.selected())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    let rect = centered(area, 64, height);
    screen.render_widget(Clear, rect);
    screen.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Fields: space shows or hides, a letter finds, Enter goes back "),
        ),
        rect,
    );
}

fn draw_signals(
    screen: &mut Screen,
    area: Rect,
    choice: usize,
    tree: bool,
    pid: i32,
    palette: Palette,
) {
    let signals = signal_choices();
    let height = (signals.len() as u16 + 2)
        .min(area.height.saturating_sub(2))
        .max(3);
    let visible = usize::from(height - 2);
    let first = choice.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = signals
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, s)| {
            let text = format!("{:>2} {:<7}{}", s.number(), s.name(), s.description());
            if i == choice {
                Line::styled(text, palette.selected())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    let what = if tree { "the tree of PID" } else { "PID" };
    let rect = centered(area, 60, height);
    screen.render_widget(Clear, rect);
    screen.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(
            " Signal to {what} {pid} (Enter sends, Escape cancels) "
        ))),
        rect,
    );
}
