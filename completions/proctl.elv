
use builtin;
use str;

set edit:completion:arg-completer[proctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'proctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'proctl'= {
            cand --color 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them'
            cand --proc-root 'Read process information from another /proc tree (for tests)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand ps 'List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'proctl;ps'= {
            cand -o 'Columns to show: comma-separated keys, KEY=Header renames (see --list-columns)'
            cand --columns 'Columns to show: comma-separated keys, KEY=Header renames (see --list-columns)'
            cand -p 'Select by process id (comma-separated list)'
            cand --pid 'Select by process id (comma-separated list)'
            cand -u 'Select by effective user name or id (comma-separated list)'
            cand --user 'Select by effective user name or id (comma-separated list)'
            cand --ppid 'Select by parent process id (comma-separated list)'
            cand -C 'Select by exact command name (comma-separated list)'
            cand --command 'Select by exact command name (comma-separated list)'
            cand -t 'Select by terminal: pts/0, tty1, or - for none (comma-separated list)'
            cand --tty 'Select by terminal: pts/0, tty1, or - for none (comma-separated list)'
            cand --state 'Select by state letters: R, S, D, Z, T, t, I, X (comma-separated list)'
            cand --sort 'Sort by keys: [+|-]KEY[,...]; - sorts descending'
            cand --format 'Output format'
            cand --sample 'Measure %CPU over DURATION (e.g. 500ms) instead of the lifetime average'
            cand --bsd 'BSD-style option letters (from `proctl ps aux`)'
            cand --color 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them'
            cand --proc-root 'Read process information from another /proc tree (for tests)'
            cand -e 'Select every process (procps -e)'
            cand -A 'Select every process (procps -e)'
            cand --every 'Select every process (procps -e)'
            cand -f 'Full: procps full-format listing (-f), and PATTERN matches the whole command line'
            cand --full 'Full: procps full-format listing (-f), and PATTERN matches the whole command line'
            cand -F 'Extra full format (procps -F)'
            cand --extra-full 'Extra full format (procps -F)'
            cand -l 'Long format (procps -l)'
            cand --long 'Long format (procps -l)'
            cand --list-columns 'Print every column key with a description, and exit'
            cand --regex 'PATTERN is a regular expression'
            cand -x 'PATTERN must match the whole name (or command line with --full)'
            cand --exact 'PATTERN must match the whole name (or command line with --full)'
            cand --kernel 'Include kernel threads in the default view'
            cand -L 'List threads, one row each (adds the LWP column)'
            cand --threads 'List threads, one row each (adds the LWP column)'
            cand --forest 'Show the process hierarchy as an indented command column (like ps axf)'
            cand --no-header 'Do not print the header line'
            cand --no-headers 'Do not print the header line'
            cand -w 'Wide output: do not cut lines to the terminal width (procps w)'
            cand --wide 'Wide output: do not cut lines to the terminal width (procps w)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'proctl;help'= {
            cand ps 'List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'proctl;help;ps'= {
        }
        &'proctl;help;help'= {
        }
    ]
    $completions[$command]
}
