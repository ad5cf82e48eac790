//! Man pages: NAME, SYNOPSIS, DESCRIPTION and OPTIONS from the clap
//! definitions (clap_mangen), then EXAMPLES, the column keys (proctl-ps),
//! ENVIRONMENT, EXIT STATUS and SEE ALSO from one table of extras per page.

use std::io::Write;

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

/// What a page says besides its options.
struct Extras {
    /// The subcommand, or "" for proctl(1).
    command: &'static str,
    examples: &'static [(&'static str, &'static str)],
    exit_status: &'static str,
    see_also: &'static str,
}

/// One row per page.
const PAGES: &[Extras] = &[
    Extras {
        command: "",
        examples: &[
            ("proctl ps aux", "every process, as procps prints it"),
            ("proctl pstree -p 1234", "the tree below 1234, with pids"),
            ("proctl kill --name '^nginx' -HUP", "reload every nginx"),
            (
                "proctl spawn --timeout 30s -- ./job",
                "run a job with a deadline",
            ),
        ],
        exit_status: "0 success; 1 nothing matched or an operation failed; 2 bad usage. \
            proctl spawn exits with its child's status (see proctl-spawn(1)).",
        see_also: "proctl-ps(1), proctl-pstree(1), proctl-signal(1), proctl-wait(1), \
            proctl-set(1), proctl-spawn(1), proctl-show(1), proctl-ports(1), proctl-top(1)",
    },
    Extras {
        command: "ps",
        examples: &[
            (
                "proctl ps",
                "the modern view: every process but kernel threads",
            ),
            ("proctl ps aux", "procps's BSD layout"),
            ("proctl ps -ef", "procps's full format"),
            (
                "proctl ps -o pid,rss,comm --sort -rss",
                "chosen columns, biggest first",
            ),
            (
                "proctl ps --format json | jq '.[].pid'",
                "typed JSON for scripts",
            ),
            (
                "proctl ps --holding /mnt/usb",
                "who keeps /mnt/usb busy, and how (fuser -m's meaning)",
            ),
            (
                "proctl ps -e -o pid,affinity,io,nofile_soft,pss,comm --sort -pss",
                "CPU affinity, I/O class, open-file limit and PSS",
            ),
        ],
        exit_status: "0 when something was listed; 1 when a selection matched nothing; \
            2 on bad usage.",
        see_also: "ps(1), proctl(1), proctl-pstree(1), proctl-show(1)",
    },
    Extras {
        command: "pstree",
        examples: &[
            ("proctl pstree", "the whole tree, as psmisc draws it"),
            (
                "proctl pstree -apl 1234",
                "arguments and pids below 1234, lines not cut",
            ),
            (
                "proctl pstree --match nginx",
                "only the branches leading to nginx",
            ),
            ("proctl pstree --format json 1", "nested JSON"),
        ],
        exit_status: "0 success; 1 when PID, USER or --match finds nothing; 2 on bad usage.",
        see_also: "pstree(1), proctl(1), proctl-ps(1)",
    },
    Extras {
        command: "signal",
        examples: &[
            ("proctl kill -9 1234", "KILL to 1234, as kill(1)"),
            (
                "proctl kill --name '^gunicorn' -HUP",
                "HUP to every match, as pkill(1)",
            ),
            (
                "proctl signal --tree 1234 --wait --timeout 10s",
                "a whole subtree, then wait",
            ),
            (
                "proctl signal --name app --kill-after 5s --wait",
                "TERM, then KILL survivors",
            ),
            (
                "proctl signal --name nginx --dry-run",
                "what would be signalled",
            ),
        ],
        exit_status: "0 when every target got the signal (and exited, with --wait); 1 when \
            any failed or nothing matched; 2 on bad usage.",
        see_also: "kill(1), pkill(1), kill(2), pidfd_send_signal(2), signal(7), proctl(1), \
            proctl-wait(1)",
    },
    Extras {
        command: "spawn",
        examples: &[
            (
                "proctl spawn -i -e PATH=/usr/bin -- env",
                "an exact environment",
            ),
            ("proctl spawn --prefix -- make", "prefix each output line"),
            (
                "proctl spawn --timeout 30s --kill-after 5s -- ./flaky",
                "timeout(1)'s contract",
            ),
            (
                "proctl spawn --detach --pidfile app.pid -- ./app",
                "a daemon",
            ),
        ],
        exit_status: "The program's own status; 128+N when signal N killed it; 124 when \
            --timeout fired; 125 when proctl itself failed; 126 when the program could not be \
            executed; 127 when it was not found; 2 on bad usage.",
        see_also: "env(1), timeout(1), nohup(1), setsid(1), prlimit(1), proctl(1)",
    },
    Extras {
        command: "show",
        examples: &[
            ("proctl show 1234", "everything 1234 holds, in sections"),
            (
                "proctl show nginx --files",
                "every nginx, with its open files",
            ),
            ("proctl show 1234 --format json", "one JSON object"),
            (
                "proctl show --holding /mnt/usb",
                "every process keeping /mnt/usb busy, and how (fuser -m)",
            ),
        ],
        exit_status: "0 success; 1 when nothing matches; 2 on bad usage.",
        see_also: "proc(5), lsof(8), fuser(1), proctl(1), proctl-ports(1)",
    },
    Extras {
        command: "ports",
        examples: &[
            (
                "proctl ports",
                "listening TCP and UDP sockets and their processes",
            ),
            ("proctl ports --port 8080", "who listens on 8080"),
            ("proctl ports --unix", "listening unix sockets, as ss -xlp"),
        ],
        exit_status: "0 success; 1 when --port finds nothing; 2 on bad usage.",
        see_also: "ss(8), fuser(1), proctl(1), proctl-show(1)",
    },
    Extras {
        command: "set",
        examples: &[
            ("proctl set 1234 --nice 10", "renice every thread"),
            ("proctl set 1234 --affinity 0-3", "pin to CPUs 0 to 3"),
            (
                "proctl set --name '^backup' --io idle -y",
                "idle I/O for every match",
            ),
            (
                "proctl set 1234 --rlimit nofile=:4096 --dry-run",
                "show the limit now and the one it would set",
            ),
        ],
        exit_status: "0 when every change was made or already in place; 1 when any failed or \
            nothing matched; 2 on bad usage.",
        see_also: "renice(1), taskset(1), chrt(1), ionice(1), prlimit(1), proc(5), proctl(1)",
    },
    Extras {
        command: "wait",
        examples: &[
            (
                "proctl wait 1234 --timeout 30s",
                "wait for a process that is not a child",
            ),
            (
                "proctl wait --name '^backup'",
                "wait for every match, as pidwait",
            ),
        ],
        exit_status: "0 when all exited; 1 on timeout, an unknown PID or no match; 2 on \
            bad usage.",
        see_also: "pidwait(1), wait(1), proctl(1), proctl-signal(1)",
    },
    Extras {
        command: "top",
        examples: &[
            ("proctl top", "the live view; press ? for its keys"),
            (
                "proctl top --tree -u www-data",
                "one user's processes as a tree",
            ),
            (
                "proctl top -b -n 3 -d 2",
                "three text frames like top -b, 2 s apart",
            ),
            (
                "proctl top -o ppid,lstart,fds --sort fds",
                "more columns: any ps -o key",
            ),
            (
                "proctl top --format ndjson -n 5 | jq .cpu",
                "JSON frames for scripts",
            ),
        ],
        exit_status: "0 success; 2 on bad usage; 128+N when signal N ended the live view \
            (129 when its terminal hung up); 101 on a panic (a bug), the terminal restored.",
        see_also: "top(1), htop(1), proctl(1), proctl-ps(1), proctl-show(1), proctl-signal(1)",
    },
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "With --color auto (the default), no colors even on a terminal.",
    ),
    (
        "FORCE_COLOR, CLICOLOR_FORCE",
        "With --color auto, colors even when not on a terminal.",
    ),
    ("TERM", "With --color auto, no colors when unset or dumb."),
    (
        "COLUMNS",
        "The width to fit output to, in place of the terminal's.",
    ),
    ("TZ", "The time zone of start times."),
];

fn section(roff: &mut Roff, title: &str) {
    roff.control("SH", [title]);
}

fn tagged(roff: &mut Roff, tag: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(tag)]);
    roff.text([roman(text)]);
}

fn extras_roff(extras: &Extras) -> Roff {
    let mut roff = Roff::default();
    section(&mut roff, "EXAMPLES");
    for (command, what) in extras.examples {
        tagged(&mut roff, command, what);
    }
    if extras.command == "ps" {
        section(&mut roff, "COLUMNS");
        roff.text([roman("The keys -o and --sort take, with their aliases:")]);
        for line in crate::columns::list_text().lines() {
            let (key, help) = line.split_once(' ').unwrap_or((line, ""));
            tagged(&mut roff, key, help.trim());
        }
    }
    section(&mut roff, "ENVIRONMENT");
    for (name, what) in ENVIRONMENT {
        tagged(&mut roff, name, what);
    }
    section(&mut roff, "EXIT STATUS");
    roff.text([roman(extras.exit_status)]);
    section(&mut roff, "SEE ALSO");
    roff.text([roman(extras.see_also)]);
    roff
}

/// Every page: (file name, roff text).
pub fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let top = crate::cli::command();
    let mut pages = Vec::new();
    for extras in PAGES {
        let (file, cmd) = if extras.command.is_empty() {
            ("proctl.1".to_string(), top.clone())
        } else {
            let Some(sub) = top.find_subcommand(extras.command) else {
                continue;
            };
            let name: &'static str =
                Box::leak(format!("proctl-{}", extras.command).into_boxed_str());
            let bin: &'static str =
                Box::leak(format!("proctl {}", extras.command).into_boxed_str());
            (
                format!("{name}.1"),
                sub.clone().name(name).display_name(name).bin_name(bin),
            )
        };
        let man = Man::new(cmd);
        let mut buf = Vec::new();
        man.render_title(&mut buf)?;
        man.render_name_section(&mut buf)?;
        man.render_synopsis_section(&mut buf)?;
        man.render_description_section(&mut buf)?;
        man.render_options_section(&mut buf)?;
        if extras.command.is_empty() {
            man.render_subcommands_section(&mut buf)?;
        }
        extras_roff(extras).to_writer(&mut buf)?;
        if extras.command.is_empty() {
            man.render_version_section(&mut buf)?;
        }
        pages.push((file, buf));
    }
    // Subcommands without a row still get their clap page.
    for sub in top.get_subcommands() {
        if PAGES.iter().any(|p| p.command == sub.get_name()) {
            continue;
        }
        let name: &'static str = Box::leak(format!("proctl-{}", sub.get_name()).into_boxed_str());
        let mut buf = Vec::new();
        Man::new(sub.clone().name(name)).render(&mut buf)?;
        buf.flush()?;
        pages.push((format!("{name}.1"), buf));
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_the_sections_a_reader_expects() {
        let pages = pages().unwrap();
        assert!(pages.len() >= PAGES.len());
        for (file, text) in &pages {
            let text = String::from_utf8_lossy(text);
            if !PAGES.iter().any(|p| {
                file == &format!("proctl-{}.1", p.command)
                    || (p.command.is_empty() && file == "proctl.1")
            }) {
                continue;
            }
            for heading in [
                "NAME",
                "SYNOPSIS",
                "EXAMPLES",
                "ENVIRONMENT",
                "EXIT STATUS",
                "SEE ALSO",
            ] {
                assert!(
                    text.contains(&format!(".SH {heading}"))
                        || text.contains(&format!(".SH \"{heading}\"")),
                    "{file} lacks {heading}"
                );
            }
        }
        let ps = pages.iter().find(|(f, _)| f == "proctl-ps.1").unwrap();
        let ps = String::from_utf8_lossy(&ps.1);
        assert!(ps.contains("\\fBproctl ps\\fR"), "synopsis names proctl ps");
        assert!(ps.contains(".SH COLUMNS"));
    }
}
