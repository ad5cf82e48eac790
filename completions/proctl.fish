# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_proctl_global_optspecs
    string join \n color= proc-root= h/help V/version
end

function __fish_proctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_proctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_proctl_using_subcommand
    set -l cmd (__fish_proctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c proctl -n "__fish_proctl_needs_command" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_needs_command" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_needs_command" -s h -l help -d 'Print help'
complete -c proctl -n "__fish_proctl_needs_command" -s V -l version -d 'Print version'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "ps" -d 'List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`)'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "pstree" -d 'Show the process tree (a psmisc `pstree` replacement)'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "tree" -d 'Show the process tree (a psmisc `pstree` replacement)'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "signal" -d 'Send a signal to processes, safely: by pid, group, pattern, user or subtree'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "kill" -d 'Send a signal to processes, safely: by pid, group, pattern, user or subtree'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "spawn" -d 'Launch a program with its own environment and wired streams, forward signals to it, and report how it ended'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "show" -d 'Show what a process holds: identity, command, scheduling, CPU, memory, I/O, open files, sockets, environment, limits, signals'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "inspect" -d 'Show what a process holds: identity, command, scheduling, CPU, memory, I/O, open files, sockets, environment, limits, signals'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "ports" -d 'List listening sockets (or all with --all) and the processes holding them'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "set" -d 'Change how running processes share the machine: nice, CPU affinity, scheduling policy, I/O priority, resource limits, OOM score'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "wait" -d 'Wait for processes (not only children) to exit, like pidwait'
complete -c proctl -n "__fish_proctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s o -l columns -d 'Columns to show: comma-separated keys, KEY=Header renames (see --list-columns)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s p -l pid -d 'Select by process id (comma-separated list)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s u -l user -d 'Select by effective user name or id (comma-separated list)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l ppid -d 'Select by parent process id (comma-separated list)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s C -l command -d 'Select by exact command name (comma-separated list)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s t -l tty -d 'Select by terminal: pts/0, tty1, or - for none (comma-separated list)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l state -d 'Select by state letters: R, S, D, Z, T, t, I, X (comma-separated list)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l sort -d 'Sort by keys: [+|-]KEY[,...]; - sorts descending' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l format -d 'Output format' -r -f -a "table\t'A table: colored and fitted to the width on a terminal'
plain\t'Space-aligned text, no colors, nothing cut'
json\t'A JSON array of objects with typed fields'
ndjson\t'One JSON object a line'
csv\t'Comma-separated values (RFC 4180)'"
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l sample -d 'Measure %CPU over DURATION (e.g. 500ms) instead of the lifetime average' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l port -d 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l bsd -d 'BSD-style option letters (from `proctl ps aux`)' -r
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s e -s A -l every -d 'Select every process (procps -e)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s f -l full -d 'Full: procps full-format listing (-f), and PATTERN matches the whole command line'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s F -l extra-full -d 'Extra full format (procps -F)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s l -l long -d 'Long format (procps -l)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l list-columns -d 'Print every column key with a description, and exit'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l regex -d 'PATTERN is a regular expression'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s x -l exact -d 'PATTERN must match the whole name (or command line with --full)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l kernel -d 'Include kernel threads in the default view'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s L -l threads -d 'List threads, one row each (adds the LWP column)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l forest -d 'Show the process hierarchy as an indented command column (like ps axf)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -l no-header -l no-headers -d 'Do not print the header line'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s w -l wide -d 'Wide output: do not cut lines or the table to the terminal width (procps w; ww for procps layouts)'
complete -c proctl -n "__fish_proctl_using_subcommand ps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s H -l highlight-pid -d 'Highlight this process and its ancestors' -r
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -l match -d 'Only the branches that lead to processes matching PATTERN (a regex on the name), with everything below each match' -r
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -l depth -d 'Draw no deeper than N levels below the root' -r
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -l format -d 'Output format' -r -f -a "text\t'The tree drawn as psmisc\'s pstree draws it'
json\t'Nested JSON objects'"
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s a -l arguments -d 'Show command line arguments'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s A -l ascii -d 'Use ASCII line drawing characters'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s U -l unicode -d 'Use Unicode line drawing characters'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s c -l compact-not -d 'Do not compact identical subtrees'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s g -l show-pgids -d 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s h -l highlight-all -d 'Highlight the current process and its ancestors'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s l -l long -d 'Do not cut long lines'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s n -l numeric-sort -d 'Sort siblings by pid instead of by name'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s p -l show-pids -d 'Show pids; implies -c'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s s -l show-parents -d 'Show the parents of the selected process'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s t -l thread-names -d 'Show full thread names'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s T -l hide-threads -d 'Hide threads, show only processes'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s u -l uid-changes -d 'Show uid transitions'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -s f -l full -d 'With --match: match the whole command line instead of the name'
complete -c proctl -n "__fish_proctl_using_subcommand pstree" -l help -d 'Print help'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand tree" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s H -l highlight-pid -d 'Highlight this process and its ancestors' -r
complete -c proctl -n "__fish_proctl_using_subcommand tree" -l match -d 'Only the branches that lead to processes matching PATTERN (a regex on the name), with everything below each match' -r
complete -c proctl -n "__fish_proctl_using_subcommand tree" -l depth -d 'Draw no deeper than N levels below the root' -r
complete -c proctl -n "__fish_proctl_using_subcommand tree" -l format -d 'Output format' -r -f -a "text\t'The tree drawn as psmisc\'s pstree draws it'
json\t'Nested JSON objects'"
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s a -l arguments -d 'Show command line arguments'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s A -l ascii -d 'Use ASCII line drawing characters'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s U -l unicode -d 'Use Unicode line drawing characters'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s c -l compact-not -d 'Do not compact identical subtrees'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s g -l show-pgids -d 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s h -l highlight-all -d 'Highlight the current process and its ancestors'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s l -l long -d 'Do not cut long lines'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s n -l numeric-sort -d 'Sort siblings by pid instead of by name'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s p -l show-pids -d 'Show pids; implies -c'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s s -l show-parents -d 'Show the parents of the selected process'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s t -l thread-names -d 'Show full thread names'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s T -l hide-threads -d 'Hide threads, show only processes'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s u -l uid-changes -d 'Show uid transitions'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -s f -l full -d 'With --match: match the whole command line instead of the name'
complete -c proctl -n "__fish_proctl_using_subcommand tree" -l help -d 'Print help'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s s -l signal -d 'The signal: a name (TERM, sigterm, RTMIN+1) or a number. Default TERM' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s n -d 'The signal by number (kill -n 9)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s q -l queue -d 'Send the signal with this integer value (sigqueue(3))' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s l -l list-names -d 'List signal names, or translate each N or NAME (kill -l 15 prints TERM; 143 names 128+N)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l name -d 'Select processes whose name matches this regex (pgrep\'s PATTERN)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s u -l user -d 'Select processes of these effective users (names or uids, comma-separated)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s U -l real-user -d 'Select processes of these real users' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s G -l real-group -d 'Select processes of these real groups (names or gids)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s P -l parent -d 'Select children of these pids' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s g -l pgroup -d 'Select members of these process groups' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l group -d 'Removed: it meant --pgroup, but pgrep\'s --group is the real group' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l session -d 'Select members of these sessions' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s t -l terminal -d 'Select processes on these terminals (pts/0, tty1)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s r -l runstates -d 'Select processes in these states (R, S, D, Z, T, t, I; comma-separated or run together)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s F -l pidfile -d 'Select the pids listed in FILE (the first word of each line)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l port -d 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l older-than -d 'Select processes older than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l younger-than -d 'Select processes younger than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l tree -d 'Signal PID and all its descendants; none escapes by forking' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l timeout -d 'With --wait: give up after DURATION in all (exit 1)' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l kill-after -d 'Send KILL to the targets still running after DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l format -d 'Report format' -r -f -a "text\t'One line a target (errors always, the rest with -v)'
json\t'A JSON array: pid, name, signal, outcome'"
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s L -l list -d 'Print a table of signals: number, name, default action, description'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s f -l full -d '--name matches the whole command line'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s x -l exact -d '--name must match the whole name (or command line)'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s i -l ignore-case -d '--name ignores case'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l inverse -d 'Select the processes that do NOT match the other selectors'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l newest -d 'Of the selected processes, only the newest'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l oldest -d 'Of the selected processes, only the oldest'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l force -d 'Allow pid 1, -1 (every process) and proctl\'s own pid'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s y -l yes -d 'Do not ask before signalling several processes'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l dry-run -d 'Show what would be signalled; send nothing'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -l wait -d 'Wait until every target has exited'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s v -l verbose -d 'Report every target, not only failures'
complete -c proctl -n "__fish_proctl_using_subcommand signal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s s -l signal -d 'The signal: a name (TERM, sigterm, RTMIN+1) or a number. Default TERM' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s n -d 'The signal by number (kill -n 9)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s q -l queue -d 'Send the signal with this integer value (sigqueue(3))' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s l -l list-names -d 'List signal names, or translate each N or NAME (kill -l 15 prints TERM; 143 names 128+N)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l name -d 'Select processes whose name matches this regex (pgrep\'s PATTERN)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s u -l user -d 'Select processes of these effective users (names or uids, comma-separated)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s U -l real-user -d 'Select processes of these real users' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s G -l real-group -d 'Select processes of these real groups (names or gids)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s P -l parent -d 'Select children of these pids' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s g -l pgroup -d 'Select members of these process groups' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l group -d 'Removed: it meant --pgroup, but pgrep\'s --group is the real group' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l session -d 'Select members of these sessions' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s t -l terminal -d 'Select processes on these terminals (pts/0, tty1)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s r -l runstates -d 'Select processes in these states (R, S, D, Z, T, t, I; comma-separated or run together)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s F -l pidfile -d 'Select the pids listed in FILE (the first word of each line)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l port -d 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l older-than -d 'Select processes older than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l younger-than -d 'Select processes younger than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l tree -d 'Signal PID and all its descendants; none escapes by forking' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l timeout -d 'With --wait: give up after DURATION in all (exit 1)' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l kill-after -d 'Send KILL to the targets still running after DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l format -d 'Report format' -r -f -a "text\t'One line a target (errors always, the rest with -v)'
json\t'A JSON array: pid, name, signal, outcome'"
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s L -l list -d 'Print a table of signals: number, name, default action, description'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s f -l full -d '--name matches the whole command line'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s x -l exact -d '--name must match the whole name (or command line)'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s i -l ignore-case -d '--name ignores case'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l inverse -d 'Select the processes that do NOT match the other selectors'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l newest -d 'Of the selected processes, only the newest'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l oldest -d 'Of the selected processes, only the oldest'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l force -d 'Allow pid 1, -1 (every process) and proctl\'s own pid'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s y -l yes -d 'Do not ask before signalling several processes'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l dry-run -d 'Show what would be signalled; send nothing'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -l wait -d 'Wait until every target has exited'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s v -l verbose -d 'Report every target, not only failures'
complete -c proctl -n "__fish_proctl_using_subcommand kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -s e -l env -d 'Set KEY=VALUE (repeatable; KEY= sets an empty value)' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l unset -d 'Remove KEY (repeatable)' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l env-file -d 'Read KEY=VALUE lines from FILE (repeatable)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -s C -l cwd -d 'Run in DIR' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l stdin -d 'stdin: inherit, null or FILE' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l input -d 'Feed TEXT to stdin, then close it' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l stdout -d 'stdout: inherit, null, FILE or +FILE (append)' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l stderr -d 'stderr: inherit, null, FILE, +FILE (append) or stdout (merge)' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l prefix -d 'Prefix every output line: --prefix for "[PROGRAM]", --prefix=TEXT for TEXT; stderr lines get "!" after it' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l tee -d 'Also copy the output (stdout, and stderr when merged) to FILE' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l nice -d 'Niceness, -20 (favoured) to 19' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l rlimit -d 'Resource limit NAME=SOFT[:HARD] (nofile, nproc, as, core, cpu, fsize, stack, memlock, ...)' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l umask -d 'File mode creation mask, in octal' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l timeout -d 'Send --timeout-signal after DURATION (exit 124)' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l timeout-signal -d 'The signal --timeout sends (default TERM)' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l kill-after -d 'After the timeout signal, send KILL if still running after DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l pidfile -d 'With --detach: write the pid to FILE (atomically)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l report -d 'After the program ends, write a JSON report to FILE (- for stdout)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -s i -l clear-env -d 'Start with an empty environment'
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l dry-run -d 'Print the program, arguments, directory and environment changes; start nothing'
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l new-session -d 'Start the program in a new session (setsid)'
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l new-group -d 'Start the program in its own process group; signals go to the group, and nothing of it is left behind when proctl exits'
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l die-with-parent -d 'Kill the program if proctl dies'
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -l detach -d 'Start in the background (new session, stdin null), print the pid, exit 0'
complete -c proctl -n "__fish_proctl_using_subcommand spawn" -s h -l help -d 'Print help'
complete -c proctl -n "__fish_proctl_using_subcommand show" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand show" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand show" -l format -d 'Output format' -r -f -a "text\t'The tree drawn as psmisc\'s pstree draws it'
json\t'Nested JSON objects'"
complete -c proctl -n "__fish_proctl_using_subcommand show" -s f -l full -d 'PATTERN matches the whole command line'
complete -c proctl -n "__fish_proctl_using_subcommand show" -l threads -d 'List the threads with their states'
complete -c proctl -n "__fish_proctl_using_subcommand show" -l files -d 'List the open file descriptors'
complete -c proctl -n "__fish_proctl_using_subcommand show" -l env -d 'List the environment variables'
complete -c proctl -n "__fish_proctl_using_subcommand show" -l show-secrets -d 'Do not mask values of secret-looking variables (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*, ...)'
complete -c proctl -n "__fish_proctl_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -l format -d 'Output format' -r -f -a "text\t'The tree drawn as psmisc\'s pstree draws it'
json\t'Nested JSON objects'"
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -s f -l full -d 'PATTERN matches the whole command line'
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -l threads -d 'List the threads with their states'
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -l files -d 'List the open file descriptors'
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -l env -d 'List the environment variables'
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -l show-secrets -d 'Do not mask values of secret-looking variables (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*, ...)'
complete -c proctl -n "__fish_proctl_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c proctl -n "__fish_proctl_using_subcommand ports" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand ports" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand ports" -l port -d 'Only sockets on this local port' -r
complete -c proctl -n "__fish_proctl_using_subcommand ports" -l format -d 'Output format' -r -f -a "table\t'A table: colored and fitted to the width on a terminal'
plain\t'Space-aligned text, no colors, nothing cut'
json\t'A JSON array of objects with typed fields'
ndjson\t'One JSON object a line'
csv\t'Comma-separated values (RFC 4180)'"
complete -c proctl -n "__fish_proctl_using_subcommand ports" -s a -l all -d 'Sockets in every state, not only listening ones'
complete -c proctl -n "__fish_proctl_using_subcommand ports" -s t -l tcp -d 'TCP sockets only'
complete -c proctl -n "__fish_proctl_using_subcommand ports" -s u -l udp -d 'UDP sockets only'
complete -c proctl -n "__fish_proctl_using_subcommand ports" -l no-header -l no-headers -d 'Do not print the header line'
complete -c proctl -n "__fish_proctl_using_subcommand ports" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c proctl -n "__fish_proctl_using_subcommand set" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand set" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand set" -l name -d 'Select processes whose name matches this regex (pgrep\'s PATTERN)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s u -l user -d 'Select processes of these effective users (names or uids, comma-separated)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s U -l real-user -d 'Select processes of these real users' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s G -l real-group -d 'Select processes of these real groups (names or gids)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s P -l parent -d 'Select children of these pids' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s g -l pgroup -d 'Select members of these process groups' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l group -d 'Removed: it meant --pgroup, but pgrep\'s --group is the real group' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l session -d 'Select members of these sessions' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s t -l terminal -d 'Select processes on these terminals (pts/0, tty1)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s r -l runstates -d 'Select processes in these states (R, S, D, Z, T, t, I; comma-separated or run together)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -s F -l pidfile -d 'Select the pids listed in FILE (the first word of each line)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand set" -l port -d 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l older-than -d 'Select processes older than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l younger-than -d 'Select processes younger than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l tree -d 'Change PID and all its descendants' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l nice -d 'Set the nice value, -20 (most favoured) to 19' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l nice-by -d 'Add N to the nice value (the result stays within -20..19)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l affinity -d 'Run only on these CPUs (taskset\'s list: 0, 0-3, 0,2,4-7)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l policy -d 'Scheduling policy: other, batch, idle, fifo or rr' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l rt-priority -d 'Real-time priority 1..99, with --policy fifo or rr' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l io -d 'I/O class and level: realtime, best-effort (levels 0..7, default 4) or idle' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l rlimit -d 'Set a resource limit, NAME=SOFT[:HARD] as prlimit(1) (repeatable)' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l oom-score-adj -d 'Set the OOM killer\'s adjustment, -1000..1000' -r
complete -c proctl -n "__fish_proctl_using_subcommand set" -l format -d 'Report format' -r -f -a "text\t'One line a target (errors always, the rest with -v)'
json\t'A JSON array: pid, name, signal, outcome'"
complete -c proctl -n "__fish_proctl_using_subcommand set" -s f -l full -d '--name matches the whole command line'
complete -c proctl -n "__fish_proctl_using_subcommand set" -s x -l exact -d '--name must match the whole name (or command line)'
complete -c proctl -n "__fish_proctl_using_subcommand set" -s i -l ignore-case -d '--name ignores case'
complete -c proctl -n "__fish_proctl_using_subcommand set" -l inverse -d 'Select the processes that do NOT match the other selectors'
complete -c proctl -n "__fish_proctl_using_subcommand set" -l newest -d 'Of the selected processes, only the newest'
complete -c proctl -n "__fish_proctl_using_subcommand set" -l oldest -d 'Of the selected processes, only the oldest'
complete -c proctl -n "__fish_proctl_using_subcommand set" -s y -l yes -d 'Do not ask before changing several processes'
complete -c proctl -n "__fish_proctl_using_subcommand set" -l dry-run -d 'Show what would change; change nothing'
complete -c proctl -n "__fish_proctl_using_subcommand set" -s v -l verbose -d 'Report every change, not only failures'
complete -c proctl -n "__fish_proctl_using_subcommand set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l color -d 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l proc-root -d 'Read process information from another /proc tree (for tests)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l name -d 'Select processes whose name matches this regex (pgrep\'s PATTERN)' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s u -l user -d 'Select processes of these effective users (names or uids, comma-separated)' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s U -l real-user -d 'Select processes of these real users' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s G -l real-group -d 'Select processes of these real groups (names or gids)' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s P -l parent -d 'Select children of these pids' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s g -l pgroup -d 'Select members of these process groups' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l group -d 'Removed: it meant --pgroup, but pgrep\'s --group is the real group' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l session -d 'Select members of these sessions' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s t -l terminal -d 'Select processes on these terminals (pts/0, tty1)' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s r -l runstates -d 'Select processes in these states (R, S, D, Z, T, t, I; comma-separated or run together)' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s F -l pidfile -d 'Select the pids listed in FILE (the first word of each line)' -r -F
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l port -d 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l older-than -d 'Select processes older than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l younger-than -d 'Select processes younger than DURATION' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l timeout -d 'Give up after DURATION (exit 1)' -r
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s f -l full -d '--name matches the whole command line'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s x -l exact -d '--name must match the whole name (or command line)'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s i -l ignore-case -d '--name ignores case'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l inverse -d 'Select the processes that do NOT match the other selectors'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l newest -d 'Of the selected processes, only the newest'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -l oldest -d 'Of the selected processes, only the oldest'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s v -l verbose -d 'Say when each process exits'
complete -c proctl -n "__fish_proctl_using_subcommand wait" -s h -l help -d 'Print help'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "ps" -d 'List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`)'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "pstree" -d 'Show the process tree (a psmisc `pstree` replacement)'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "signal" -d 'Send a signal to processes, safely: by pid, group, pattern, user or subtree'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "spawn" -d 'Launch a program with its own environment and wired streams, forward signals to it, and report how it ended'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "show" -d 'Show what a process holds: identity, command, scheduling, CPU, memory, I/O, open files, sockets, environment, limits, signals'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "ports" -d 'List listening sockets (or all with --all) and the processes holding them'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "set" -d 'Change how running processes share the machine: nice, CPU affinity, scheduling policy, I/O priority, resource limits, OOM score'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "wait" -d 'Wait for processes (not only children) to exit, like pidwait'
complete -c proctl -n "__fish_proctl_using_subcommand help; and not __fish_seen_subcommand_from ps pstree signal spawn show ports set wait help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
