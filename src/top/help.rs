//! The keys of the live view, one row each: the help screen and the README
//! are written from this table.

/// Key, what it does.
pub static KEYS: &[(&str, &str)] = &[
    ("Up Down", "move the selection (also the mouse wheel)"),
    ("PgUp PgDn", "move the selection by a page"),
    ("Home End", "select the first or the last process"),
    ("P M T N", "sort by %CPU, %MEM, TIME+ or PID"),
    (
        "< > Left Right",
        "sort by the column left or right of the current one",
    ),
    ("R", "reverse the sort order"),
    (
        "f",
        "the fields screen: show or hide columns, any ps -o key among them (space)",
    ),
    (
        "click",
        "select a row; a click on a title sorts by it (again: reverse)",
    ),
    ("t", "tree view on and off"),
    (
        "- +",
        "fold and unfold the selected process's subtree (tree view)",
    ),
    (
        "/",
        "filter on name and command line as you type; Enter keeps it, Escape clears it",
    ),
    ("u", "show only one user's processes (empty: everyone's)"),
    ("H", "show threads instead of processes"),
    (
        "k",
        "send a signal to the selected process (TERM by default), after a confirmation",
    ),
    (
        "K",
        "the same to the selected process and all its descendants",
    ),
    ("r", "renice the selected process"),
    (
        "Enter",
        "details of the selected process (as proctl show); Escape goes back",
    ),
    ("s d", "change the delay between refreshes"),
    ("space", "pause and resume the refresh"),
    ("? h", "this help"),
    ("q Ctrl+C", "quit"),
    (
        "Ctrl+Z",
        "stop, giving the terminal back to the shell (fg resumes)",
    ),
];
