
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
            cand pstree 'Show the process tree (a psmisc `pstree` replacement)'
            cand tree 'Show the process tree (a psmisc `pstree` replacement)'
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
        &'proctl;pstree'= {
            cand -H 'Highlight this process and its ancestors'
            cand --highlight-pid 'Highlight this process and its ancestors'
            cand --match 'Only the branches that lead to processes matching PATTERN (a regex on the name), with everything below each match'
            cand --depth 'Draw no deeper than N levels below the root'
            cand --format 'Output format'
            cand --color 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them'
            cand --proc-root 'Read process information from another /proc tree (for tests)'
            cand -a 'Show command line arguments'
            cand --arguments 'Show command line arguments'
            cand -A 'Use ASCII line drawing characters'
            cand --ascii 'Use ASCII line drawing characters'
            cand -U 'Use Unicode line drawing characters'
            cand --unicode 'Use Unicode line drawing characters'
            cand -c 'Do not compact identical subtrees'
            cand --compact-not 'Do not compact identical subtrees'
            cand -g 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)'
            cand --show-pgids 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)'
            cand -h 'Highlight the current process and its ancestors'
            cand --highlight-all 'Highlight the current process and its ancestors'
            cand -l 'Do not cut long lines'
            cand --long 'Do not cut long lines'
            cand -n 'Sort siblings by pid instead of by name'
            cand --numeric-sort 'Sort siblings by pid instead of by name'
            cand -p 'Show pids; implies -c'
            cand --show-pids 'Show pids; implies -c'
            cand -s 'Show the parents of the selected process'
            cand --show-parents 'Show the parents of the selected process'
            cand -t 'Show full thread names'
            cand --thread-names 'Show full thread names'
            cand -T 'Hide threads, show only processes'
            cand --hide-threads 'Hide threads, show only processes'
            cand -u 'Show uid transitions'
            cand --uid-changes 'Show uid transitions'
            cand -f 'With --match: match the whole command line instead of the name'
            cand --full 'With --match: match the whole command line instead of the name'
            cand --help 'Print help'
        }
        &'proctl;tree'= {
            cand -H 'Highlight this process and its ancestors'
            cand --highlight-pid 'Highlight this process and its ancestors'
            cand --match 'Only the branches that lead to processes matching PATTERN (a regex on the name), with everything below each match'
            cand --depth 'Draw no deeper than N levels below the root'
            cand --format 'Output format'
            cand --color 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them'
            cand --proc-root 'Read process information from another /proc tree (for tests)'
            cand -a 'Show command line arguments'
            cand --arguments 'Show command line arguments'
            cand -A 'Use ASCII line drawing characters'
            cand --ascii 'Use ASCII line drawing characters'
            cand -U 'Use Unicode line drawing characters'
            cand --unicode 'Use Unicode line drawing characters'
            cand -c 'Do not compact identical subtrees'
            cand --compact-not 'Do not compact identical subtrees'
            cand -g 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)'
            cand --show-pgids 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)'
            cand -h 'Highlight the current process and its ancestors'
            cand --highlight-all 'Highlight the current process and its ancestors'
            cand -l 'Do not cut long lines'
            cand --long 'Do not cut long lines'
            cand -n 'Sort siblings by pid instead of by name'
            cand --numeric-sort 'Sort siblings by pid instead of by name'
            cand -p 'Show pids; implies -c'
            cand --show-pids 'Show pids; implies -c'
            cand -s 'Show the parents of the selected process'
            cand --show-parents 'Show the parents of the selected process'
            cand -t 'Show full thread names'
            cand --thread-names 'Show full thread names'
            cand -T 'Hide threads, show only processes'
            cand --hide-threads 'Hide threads, show only processes'
            cand -u 'Show uid transitions'
            cand --uid-changes 'Show uid transitions'
            cand -f 'With --match: match the whole command line instead of the name'
            cand --full 'With --match: match the whole command line instead of the name'
            cand --help 'Print help'
        }
        &'proctl;help'= {
            cand ps 'List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`)'
            cand pstree 'Show the process tree (a psmisc `pstree` replacement)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'proctl;help;ps'= {
        }
        &'proctl;help;pstree'= {
        }
        &'proctl;help;help'= {
        }
    ]
    $completions[$command]
}
