//! The live view's state driven by keys and frames, without a terminal.

use std::time::Duration;

use super::columns::Shown;
use super::keys::parse_lists;
use super::sample::{Derived, Frame};
use super::state::{Action, Key, Mode, Selection, TopState, ViewOptions};
use super::summary::Summary;
use crate::model::{ProcessInfo, SystemFacts};
use crate::signal::Signal;

/// pid, ppid, name, %CPU, RES KiB
type Spec = (i32, i32, &'static str, f64, u64);

fn frame(specs: &[Spec]) -> Frame {
    let processes: Vec<ProcessInfo> = specs
        .iter()
        .map(|&(pid, ppid, name, _, _)| ProcessInfo {
            pid,
            tid: pid,
            ppid,
            name: name.as_bytes().to_vec(),
            state: 'S',
            start_ticks: 1000 + pid as u64,
            euid: Some(if name == "web" { 33 } else { 0 }),
            ..ProcessInfo::default()
        })
        .collect();
    let derived = specs
        .iter()
        .map(|&(_, _, name, cpu, res)| Derived {
            user: if name == "web" { "www-data" } else { "root" }.to_string(),
            name: name.to_string(),
            command: format!("/usr/bin/{name} --flag"),
            cpu,
            mem: res as f64 / 1000.0,
            res_kib: res,
            shr_kib: Some(0),
            shr_read: true,
            time_centis: (cpu * 100.0) as u64,
        })
        .collect();
    Frame {
        summary: Summary::default(),
        processes,
        derived,
        system: SystemFacts {
            hz: 100,
            page_kib: 4,
            boot_time: 0,
            boot_ticks: 100_000,
            now: 0,
            mem_total_kib: 1_000_000,
            tz: jiff::tz::TimeZone::UTC,
        },
        measured: true,
        root: std::path::PathBuf::from("/proc"),
    }
}

const TREE: &[Spec] = &[
    (1, 0, "init", 0.0, 100),
    (10, 1, "sshd", 1.0, 300),
    (11, 10, "bash", 2.0, 200),
    (12, 11, "vim", 50.0, 900),
    (20, 1, "web", 30.0, 50),
    (21, 20, "worker", 5.0, 400),
];

fn options() -> ViewOptions {
    ViewOptions {
        selection: Selection::default(),
        sort: Shown::top("%CPU"),
        keys: Vec::new(),
        request: parse_lists(&[]).unwrap().1,
        reverse: false,
        tree: false,
        threads: false,
        delay: Duration::from_secs(1),
    }
}

fn state() -> TopState {
    TopState::new(frame(TREE), options(), (100, 20))
}

fn pids(s: &TopState) -> Vec<i32> {
    s.view
        .iter()
        .map(|v| s.frame.processes[v.index].pid)
        .collect()
}

fn press(s: &mut TopState, keys: &str) -> Action {
    let mut last = Action::None;
    for c in keys.chars() {
        last = s.handle_key(Key::Char(c));
    }
    last
}

#[test]
fn sorts_by_cpu_first_and_with_the_sort_keys() {
    let mut s = state();
    assert_eq!(pids(&s), [12, 20, 21, 11, 10, 1]);
    press(&mut s, "M");
    assert_eq!(pids(&s), [12, 21, 10, 11, 1, 20]);
    press(&mut s, "N");
    assert_eq!(pids(&s), [1, 10, 11, 12, 20, 21]);
    press(&mut s, "R");
    assert_eq!(pids(&s), [21, 20, 12, 11, 10, 1]);
    press(&mut s, "T");
    assert_eq!(pids(&s)[0], 12);
    // < and > walk the columns: from TIME+ to %MEM.
    press(&mut s, "<");
    assert_eq!(s.sort, Shown::top("%MEM"));
    press(&mut s, ">>>>");
    assert_eq!(s.sort, Shown::top("COMMAND"));
}

#[test]
fn the_selection_follows_its_process_across_sorts_and_frames() {
    let mut s = state();
    s.handle_key(Key::Down);
    assert_eq!(s.selected, Some(20));
    press(&mut s, "N");
    assert_eq!(s.selected, Some(20));
    assert_eq!(s.cursor, 4);
    // The next frame: web is gone, so the cursor stays on the same line.
    let mut next: Vec<Spec> = TREE.to_vec();
    next.retain(|p| p.0 != 20);
    s.apply_frame(frame(&next));
    assert_eq!(s.cursor, 4);
    assert_eq!(s.selected, Some(21));
    s.handle_key(Key::End);
    assert_eq!(s.selected, Some(21));
    s.handle_key(Key::Home);
    assert_eq!(s.selected, Some(1));
    s.handle_key(Key::Up);
    assert_eq!(s.cursor, 0);
}

/// Regression: the cursor started on the first row's task and followed
/// it, so once that task calmed down the view scrolled after it, the
/// busiest processes went off the screen, and `N` showed the middle of
/// the list.
#[test]
fn an_unmoved_cursor_stays_on_the_first_row() {
    let mut specs: Vec<Spec> = (1..=100).map(|p| (p, 0, "idle", 0.0, 1)).collect();
    specs.push((200, 0, "spin", 90.0, 1));
    let mut s = TopState::new(frame(&specs), options(), (80, 20));
    assert_eq!(pids(&s)[0], 200);
    // The loop stops and another starts: the new one is on screen, first.
    let last = specs.len() - 1;
    specs[last].3 = 0.0;
    specs.push((300, 0, "spin2", 80.0, 1));
    s.apply_frame(frame(&specs));
    assert_eq!((s.cursor, s.scroll), (0, 0));
    assert_eq!(s.selected, Some(300));
    press(&mut s, "N");
    assert_eq!((s.cursor, s.scroll, s.selected), (0, 0, Some(1)));
    // Moved off the first row, the selection follows its task.
    s.handle_key(Key::Down);
    press(&mut s, "R");
    assert_eq!(s.selected, Some(2));
    assert_eq!(pids(&s)[s.cursor], 2);
    assert!(s.scroll > 0);
    // So does a process found with a kept filter, once it is cleared.
    s.handle_key(Key::Home);
    press(&mut s, "/spin2");
    s.handle_key(Key::Enter);
    s.handle_key(Key::Esc);
    assert_eq!(pids(&s).len(), 102);
    assert_eq!(s.selected, Some(300));
    assert_eq!(pids(&s)[s.cursor], 300);
    // A filter given up with Escape picked nothing: the first row again.
    press(&mut s, "N");
    s.handle_key(Key::Home);
    press(&mut s, "/spin2");
    s.handle_key(Key::Esc);
    assert_eq!((s.cursor, s.selected), (0, Some(1)));
}

#[test]
fn pages_follow_the_terminal_height() {
    let specs: Vec<Spec> = (1..=100).map(|p| (p, 0, "p", 0.0, 1)).collect();
    let mut s = TopState::new(frame(&specs), options(), (80, 20));
    let page = s.layout().rows;
    assert_eq!(page, 20 - 5 - 2);
    s.handle_key(Key::PageDown);
    assert_eq!(s.cursor, page);
    assert_eq!(s.scroll, 1);
    s.handle_key(Key::Resize {
        width: 80,
        height: 10,
    });
    assert_eq!(s.layout().rows, 3);
    assert!(s.cursor < s.scroll + 3 && s.cursor >= s.scroll);
    s.handle_key(Key::End);
    assert_eq!(s.cursor, 99);
    assert_eq!(s.scroll, 97);
}

#[test]
fn the_filter_applies_as_typed_and_escape_clears_it() {
    let mut s = state();
    assert_eq!(press(&mut s, "/"), Action::None);
    assert_eq!(s.mode, Mode::Filter);
    press(&mut s, "WOR");
    assert_eq!(pids(&s), [21]);
    assert_eq!(s.prompt().unwrap(), "Filter: WOR");
    s.handle_key(Key::Backspace);
    s.handle_key(Key::Enter);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(pids(&s), [21]);
    // Keys act as keys again once the filter is kept.
    press(&mut s, "N");
    s.handle_key(Key::Esc);
    assert_eq!(pids(&s).len(), 6);
    // The command line matches too.
    press(&mut s, "/--FLAG");
    assert_eq!(pids(&s).len(), 6);
    s.handle_key(Key::Esc);
    assert!(s.filter.is_empty());
}

#[test]
fn tree_view_folds_and_keeps_ancestors_of_matches() {
    let mut s = state();
    press(&mut s, "t");
    // Siblings by %CPU: web (30) before sshd (1).
    assert_eq!(pids(&s), [1, 20, 21, 10, 11, 12]);
    let prefixes: Vec<&str> = s.view.iter().map(|v| v.prefix.as_str()).collect();
    assert_eq!(
        prefixes,
        ["", "├─ ", "│  └─ ", "└─ ", "   └─ ", "      └─ "]
    );
    // Fold sshd's subtree.
    s.handle_key(Key::Home);
    s.handle_key(Key::Down);
    s.handle_key(Key::Down);
    s.handle_key(Key::Down);
    assert_eq!(s.selected, Some(10));
    press(&mut s, "-");
    assert_eq!(pids(&s), [1, 20, 21, 10]);
    assert!(s.view[3].folded);
    assert_eq!(s.view[3].prefix, "└─+ ");
    press(&mut s, "+");
    assert_eq!(pids(&s).len(), 6);
    // A filter keeps the path down to what matches.
    press(&mut s, "/vim");
    assert_eq!(pids(&s), [1, 10, 11, 12]);
}

#[test]
fn the_command_line_selection_narrows_the_rows() {
    let mut o = options();
    o.selection = Selection {
        pids: vec![10, 12],
        ..Selection::default()
    };
    let s = TopState::new(frame(TREE), o, (100, 20));
    assert_eq!(pids(&s), [12, 10]);
    let mut o = options();
    o.selection.uid = Some(33);
    assert_eq!(pids(&TopState::new(frame(TREE), o, (100, 20))), [20]);
    let mut o = options();
    o.selection.pattern = Some(regex::bytes::Regex::new("^(bash|init)$").unwrap());
    assert_eq!(pids(&TopState::new(frame(TREE), o, (100, 20))), [11, 1]);
}

#[test]
fn k_chooses_a_signal_and_asks_before_sending() {
    let mut s = state();
    assert_eq!(s.selected, Some(12));
    press(&mut s, "k");
    let Mode::ChooseSignal { choice, tree, .. } = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert!(!tree);
    assert_eq!(super::state::signal_choices()[*choice], Signal::TERM);
    s.handle_key(Key::Enter);
    assert!(
        s.prompt()
            .unwrap()
            .starts_with("Send TERM to PID 12 (vim)?")
    );
    // Anything but y sends nothing.
    assert_eq!(press(&mut s, "n"), Action::None);
    assert_eq!(s.mode, Mode::Normal);
    press(&mut s, "K");
    s.handle_key(Key::Home);
    s.handle_key(Key::Down);
    s.handle_key(Key::Enter);
    let action = press(&mut s, "y");
    let Action::Signal {
        target,
        signal,
        tree,
    } = action
    else {
        panic!("{action:?}")
    };
    assert_eq!((target.pid, target.start_ticks), (12, 1012));
    assert_eq!(signal.number(), 2);
    assert!(tree);
    // Escape leaves the chooser.
    press(&mut s, "k");
    s.handle_key(Key::Esc);
    assert_eq!(s.mode, Mode::Normal);
    press(&mut s, "k9");
    s.handle_key(Key::Enter);
    assert!(s.prompt().unwrap().starts_with("Send KILL"));
}

#[test]
fn renice_delay_and_user_prompts() {
    let mut s = state();
    press(&mut s, "r-5");
    assert_eq!(s.prompt().unwrap(), "Renice PID 12 to value: -5");
    let action = s.handle_key(Key::Enter);
    assert!(matches!(action, Action::Renice { nice: -5, ref target } if target.pid == 12));
    press(&mut s, "r99");
    assert_eq!(s.handle_key(Key::Enter), Action::None);
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .contains("invalid nice value '99'")
    );
    press(&mut s, "d250ms");
    s.handle_key(Key::Enter);
    assert_eq!(s.delay, Duration::from_millis(250));
    press(&mut s, "s0");
    s.handle_key(Key::Enter);
    assert_eq!(s.delay, super::state::MIN_DELAY);
    press(&mut s, "u33");
    s.handle_key(Key::Enter);
    assert_eq!(pids(&s), [20]);
    press(&mut s, "u");
    s.handle_key(Key::Enter);
    assert_eq!(pids(&s).len(), 6);
}

#[test]
fn details_scroll_and_escape_goes_back() {
    let mut s = state();
    let Action::Details(target) = s.handle_key(Key::Enter) else {
        panic!()
    };
    assert_eq!(target.pid, 12);
    s.show_details(
        "vim".into(),
        (0..100).map(|i| format!("line {i}")).collect(),
    );
    s.handle_key(Key::Down);
    s.handle_key(Key::PageDown);
    let Mode::Details { scroll, .. } = &s.mode else {
        panic!()
    };
    assert_eq!(*scroll, 1 + s.layout().rows + 2);
    s.handle_key(Key::End);
    let Mode::Details { scroll, .. } = &s.mode else {
        panic!()
    };
    assert_eq!(*scroll, 99);
    s.handle_key(Key::Esc);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn mouse_clicks_select_rows_and_sort_by_titles() {
    let mut s = state();
    let layout = s.layout();
    s.handle_key(Key::Click {
        x: 3,
        y: layout.titles + 3,
    });
    assert_eq!(s.cursor, 2);
    // PID's title spans the first 7 cells.
    s.handle_key(Key::Click {
        x: 2,
        y: layout.titles,
    });
    assert_eq!(s.sort, Shown::top("PID"));
    assert_eq!(pids(&s)[0], 1);
    s.handle_key(Key::Click {
        x: 2,
        y: layout.titles,
    });
    assert!(s.reverse);
    assert_eq!(pids(&s)[0], 21);
    // A click below the rows does nothing.
    s.handle_key(Key::Click { x: 2, y: 19 });
    assert_eq!(s.selected, Some(21));
}

#[test]
fn quit_pause_threads_and_help() {
    let mut s = state();
    assert_eq!(press(&mut s, " "), Action::None);
    assert!(s.paused);
    assert_eq!(press(&mut s, " "), Action::Refresh);
    assert_eq!(press(&mut s, "H"), Action::Refresh);
    assert!(s.threads);
    press(&mut s, "?");
    assert_eq!(s.mode, Mode::Help);
    assert_eq!(press(&mut s, "x"), Action::None);
    assert_eq!(s.mode, Mode::Normal);
    press(&mut s, "/");
    assert_eq!(s.handle_key(Key::Interrupt), Action::Quit);
    s.handle_key(Key::Esc);
    assert_eq!(press(&mut s, "q"), Action::Quit);
}

/// The screen drawn into ratatui's test buffer, as lines of text.
fn drawn(s: &TopState, width: u16, height: u16) -> Vec<String> {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|screen| super::draw::draw(screen, s, super::draw::Palette { color: false }))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn drawing_shows_the_summary_the_rows_on_screen_and_the_status_line() {
    let mut s = state();
    s.size = (100, 12);
    let lines = drawn(&s, 100, 12);
    assert!(
        lines[0].starts_with("proctl top - 00:00:00 up 0 min,"),
        "{lines:#?}"
    );
    assert!(lines[1].starts_with("Tasks:"), "{lines:#?}");
    assert!(lines[2].starts_with("CPU ["), "{lines:#?}");
    assert!(lines[3].starts_with("Mem ["), "{lines:#?}");
    assert!(lines[3].ends_with("0/0 avail 0]"), "{lines:#?}");
    assert_eq!(
        lines[5],
        "    PID USER     PRI  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND"
    );
    // Five rows fit between the titles and the status line.
    assert!(lines[6].starts_with("     12 root"), "{lines:#?}");
    assert!(lines[6].ends_with("/usr/bin/vim --flag"), "{lines:#?}");
    assert!(lines[10].starts_with("     10 root"), "{lines:#?}");
    assert!(lines[11].starts_with("? help"), "{lines:#?}");
    // A prompt replaces the hints; the tree adds its branches.
    press(&mut s, "t/vim");
    let lines = drawn(&s, 100, 12);
    assert_eq!(lines[11], "Filter: vim");
    assert!(
        lines[9].ends_with("   └─ /usr/bin/vim --flag"),
        "{lines:#?}"
    );
}

#[test]
fn drawing_dialogs_in_front_of_the_table() {
    let mut s = state();
    s.size = (100, 40);
    press(&mut s, "k");
    let screen = drawn(&s, 100, 40).join("\n");
    assert!(screen.contains("Signal to PID 12"), "{screen}");
    assert!(screen.contains("15 TERM   termination request"), "{screen}");
    s.handle_key(Key::Esc);
    press(&mut s, "?");
    let screen = drawn(&s, 100, 40).join("\n");
    assert!(screen.contains("Keys (any key closes)"), "{screen}");
    assert!(
        screen.contains("sort by %CPU, %MEM, TIME+ or PID"),
        "{screen}"
    );
    press(&mut s, "x");
    s.show_details(
        " PID 12 (vim) ".into(),
        vec!["Identity".into(), "  pid 12".into()],
    );
    let screen = drawn(&s, 100, 40);
    assert!(screen[0].contains("PID 12 (vim)"), "{screen:#?}");
    assert_eq!(screen[1], "│Identity".to_string() + &" ".repeat(90) + "│");
}

fn headers(s: &TopState) -> Vec<String> {
    s.shown.iter().map(|c| c.header().to_string()).collect()
}

#[test]
fn ps_keys_are_columns_sorted_like_the_others() {
    let (keys, request) = parse_lists(&["ppid".to_string()]).unwrap();
    let options = ViewOptions {
        keys,
        request,
        ..options()
    };
    let mut s = TopState::new(frame(TREE), options, (100, 20));
    let shown = headers(&s);
    assert_eq!(shown[shown.len() - 2..], ["PPID", "COMMAND"]);
    press(&mut s, ">>>>>>>>>>>>>>>>");
    assert_eq!(s.sort.header(), "COMMAND");
    press(&mut s, "<");
    assert_eq!(s.sort.header(), "PPID");
    // Numbers, largest first; equal ones by pid.
    assert_eq!(pids(&s), [21, 12, 11, 10, 20, 1]);
    press(&mut s, "R");
    assert_eq!(pids(&s), [1, 10, 20, 11, 12, 21]);
    assert_eq!(s.key_text(&s.columns.keys[0].clone(), 5), "20");
}

#[test]
fn the_fields_screen_shows_and_hides_columns() {
    use super::fields::{Entry, entries};
    let mut s = state();
    press(&mut s, "f");
    assert_eq!(s.mode, Mode::Fields { cursor: 0 });
    // The first entry is top's PID: hidden, and a new frame is asked for.
    assert_eq!(s.handle_key(Key::Char(' ')), Action::Refresh);
    assert!(!headers(&s).contains(&"PID".to_string()));
    // A letter finds the next entry with that initial: ps's ppid.
    let all = entries();
    for _ in 0..all.len() {
        let Mode::Fields { cursor } = s.mode else {
            panic!("the fields screen stays open")
        };
        if matches!(all[cursor], Entry::Key(k) if k.key == "ppid") {
            break;
        }
        press(&mut s, "p");
    }
    press(&mut s, " ");
    assert!(s.needs().status, "ps's values read status");
    let shown = headers(&s);
    assert_eq!(shown[shown.len() - 2..], ["PPID", "COMMAND"]);
    // The command cannot be hidden.
    press(&mut s, "c ");
    assert!(headers(&s).contains(&"COMMAND".to_string()));
    s.handle_key(Key::Enter);
    assert_eq!(s.mode, Mode::Normal);
    // Shown again: PID is back in its place.
    press(&mut s, "f ");
    assert_eq!(headers(&s)[0], "PID");
    s.handle_key(Key::Esc);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn shared_memory_is_read_for_the_rows_on_screen_only() {
    let specs: Vec<Spec> = (1..=30).map(|pid| (pid, 0, "task", 0.0, 100)).collect();
    let mut f = frame(&specs);
    for d in &mut f.derived {
        d.shr_kib = None;
        d.shr_read = false;
    }
    // 12 lines: 5 of summary, the titles, 5 rows, the status line.
    let mut s = TopState::new(f, options(), (100, 12));
    let reads = std::cell::Cell::new(0);
    let read = |p: &crate::model::ProcessInfo, page_kib: u64| {
        reads.set(reads.get() + 1);
        Some(p.pid as u64 * page_kib)
    };
    s.fill_shared(read);
    assert_eq!(reads.get(), 5);
    s.fill_shared(read);
    assert_eq!(reads.get(), 5, "each row once a frame");
    // Sorting by SHR reads every row, and sorts by it: the largest first.
    s.sort = Shown::top("SHR");
    s.fill_shared(read);
    assert_eq!(reads.get(), 30);
    assert_eq!(pids(&s)[..3], [30, 29, 28]);
}
