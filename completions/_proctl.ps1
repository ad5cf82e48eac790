
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'proctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'proctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'proctl' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('ps', 'ps', [CompletionResultType]::ParameterValue, 'List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`)')
            [CompletionResult]::new('pstree', 'pstree', [CompletionResultType]::ParameterValue, 'Show the process tree (a psmisc `pstree` replacement)')
            [CompletionResult]::new('tree', 'tree', [CompletionResultType]::ParameterValue, 'Show the process tree (a psmisc `pstree` replacement)')
            [CompletionResult]::new('signal', 'signal', [CompletionResultType]::ParameterValue, 'Send a signal to processes, safely: by pid, group, pattern, user or subtree')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Send a signal to processes, safely: by pid, group, pattern, user or subtree')
            [CompletionResult]::new('spawn', 'spawn', [CompletionResultType]::ParameterValue, 'Launch a program with its own environment and wired streams, forward signals to it, and report how it ended')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show what a process holds: identity, command, scheduling, CPU, memory, I/O, open files, sockets, environment, limits, signals')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what a process holds: identity, command, scheduling, CPU, memory, I/O, open files, sockets, environment, limits, signals')
            [CompletionResult]::new('ports', 'ports', [CompletionResultType]::ParameterValue, 'List listening sockets (or all with --all) and the processes holding them')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait for processes (not only children) to exit, like pidwait')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'proctl;ps' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Columns to show: comma-separated keys, KEY=Header renames (see --list-columns)')
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'Columns to show: comma-separated keys, KEY=Header renames (see --list-columns)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Select by process id (comma-separated list)')
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'Select by process id (comma-separated list)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Select by effective user name or id (comma-separated list)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Select by effective user name or id (comma-separated list)')
            [CompletionResult]::new('--ppid', '--ppid', [CompletionResultType]::ParameterName, 'Select by parent process id (comma-separated list)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Select by exact command name (comma-separated list)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Select by exact command name (comma-separated list)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Select by terminal: pts/0, tty1, or - for none (comma-separated list)')
            [CompletionResult]::new('--tty', '--tty', [CompletionResultType]::ParameterName, 'Select by terminal: pts/0, tty1, or - for none (comma-separated list)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Select by state letters: R, S, D, Z, T, t, I, X (comma-separated list)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort by keys: [+|-]KEY[,...]; - sorts descending')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'Measure %CPU over DURATION (e.g. 500ms) instead of the lifetime average')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp')
            [CompletionResult]::new('--bsd', '--bsd', [CompletionResultType]::ParameterName, 'BSD-style option letters (from `proctl ps aux`)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Select every process (procps -e)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Select every process (procps -e)')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Select every process (procps -e)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Full: procps full-format listing (-f), and PATTERN matches the whole command line')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Full: procps full-format listing (-f), and PATTERN matches the whole command line')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Extra full format (procps -F)')
            [CompletionResult]::new('--extra-full', '--extra-full', [CompletionResultType]::ParameterName, 'Extra full format (procps -F)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Long format (procps -l)')
            [CompletionResult]::new('--long', '--long', [CompletionResultType]::ParameterName, 'Long format (procps -l)')
            [CompletionResult]::new('--list-columns', '--list-columns', [CompletionResultType]::ParameterName, 'Print every column key with a description, and exit')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'PATTERN is a regular expression')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'PATTERN must match the whole name (or command line with --full)')
            [CompletionResult]::new('--exact', '--exact', [CompletionResultType]::ParameterName, 'PATTERN must match the whole name (or command line with --full)')
            [CompletionResult]::new('--kernel', '--kernel', [CompletionResultType]::ParameterName, 'Include kernel threads in the default view')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'List threads, one row each (adds the LWP column)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'List threads, one row each (adds the LWP column)')
            [CompletionResult]::new('--forest', '--forest', [CompletionResultType]::ParameterName, 'Show the process hierarchy as an indented command column (like ps axf)')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Do not print the header line')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print the header line')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Wide output: do not cut lines or the table to the terminal width (procps w; ww for procps layouts)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Wide output: do not cut lines or the table to the terminal width (procps w; ww for procps layouts)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'proctl;pstree' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Highlight this process and its ancestors')
            [CompletionResult]::new('--highlight-pid', '--highlight-pid', [CompletionResultType]::ParameterName, 'Highlight this process and its ancestors')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only the branches that lead to processes matching PATTERN (a regex on the name), with everything below each match')
            [CompletionResult]::new('--depth', '--depth', [CompletionResultType]::ParameterName, 'Draw no deeper than N levels below the root')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Show command line arguments')
            [CompletionResult]::new('--arguments', '--arguments', [CompletionResultType]::ParameterName, 'Show command line arguments')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Use ASCII line drawing characters')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'Use ASCII line drawing characters')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'Use Unicode line drawing characters')
            [CompletionResult]::new('--unicode', '--unicode', [CompletionResultType]::ParameterName, 'Use Unicode line drawing characters')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Do not compact identical subtrees')
            [CompletionResult]::new('--compact-not', '--compact-not', [CompletionResultType]::ParameterName, 'Do not compact identical subtrees')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)')
            [CompletionResult]::new('--show-pgids', '--show-pgids', [CompletionResultType]::ParameterName, 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Highlight the current process and its ancestors')
            [CompletionResult]::new('--highlight-all', '--highlight-all', [CompletionResultType]::ParameterName, 'Highlight the current process and its ancestors')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Do not cut long lines')
            [CompletionResult]::new('--long', '--long', [CompletionResultType]::ParameterName, 'Do not cut long lines')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Sort siblings by pid instead of by name')
            [CompletionResult]::new('--numeric-sort', '--numeric-sort', [CompletionResultType]::ParameterName, 'Sort siblings by pid instead of by name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Show pids; implies -c')
            [CompletionResult]::new('--show-pids', '--show-pids', [CompletionResultType]::ParameterName, 'Show pids; implies -c')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Show the parents of the selected process')
            [CompletionResult]::new('--show-parents', '--show-parents', [CompletionResultType]::ParameterName, 'Show the parents of the selected process')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Show full thread names')
            [CompletionResult]::new('--thread-names', '--thread-names', [CompletionResultType]::ParameterName, 'Show full thread names')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'Hide threads, show only processes')
            [CompletionResult]::new('--hide-threads', '--hide-threads', [CompletionResultType]::ParameterName, 'Hide threads, show only processes')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Show uid transitions')
            [CompletionResult]::new('--uid-changes', '--uid-changes', [CompletionResultType]::ParameterName, 'Show uid transitions')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'With --match: match the whole command line instead of the name')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'With --match: match the whole command line instead of the name')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'proctl;tree' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Highlight this process and its ancestors')
            [CompletionResult]::new('--highlight-pid', '--highlight-pid', [CompletionResultType]::ParameterName, 'Highlight this process and its ancestors')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only the branches that lead to processes matching PATTERN (a regex on the name), with everything below each match')
            [CompletionResult]::new('--depth', '--depth', [CompletionResultType]::ParameterName, 'Draw no deeper than N levels below the root')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Show command line arguments')
            [CompletionResult]::new('--arguments', '--arguments', [CompletionResultType]::ParameterName, 'Show command line arguments')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Use ASCII line drawing characters')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'Use ASCII line drawing characters')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'Use Unicode line drawing characters')
            [CompletionResult]::new('--unicode', '--unicode', [CompletionResultType]::ParameterName, 'Use Unicode line drawing characters')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Do not compact identical subtrees')
            [CompletionResult]::new('--compact-not', '--compact-not', [CompletionResultType]::ParameterName, 'Do not compact identical subtrees')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)')
            [CompletionResult]::new('--show-pgids', '--show-pgids', [CompletionResultType]::ParameterName, 'Show process group ids (identical subtrees are still compacted, as psmisc 23 does)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Highlight the current process and its ancestors')
            [CompletionResult]::new('--highlight-all', '--highlight-all', [CompletionResultType]::ParameterName, 'Highlight the current process and its ancestors')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Do not cut long lines')
            [CompletionResult]::new('--long', '--long', [CompletionResultType]::ParameterName, 'Do not cut long lines')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Sort siblings by pid instead of by name')
            [CompletionResult]::new('--numeric-sort', '--numeric-sort', [CompletionResultType]::ParameterName, 'Sort siblings by pid instead of by name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Show pids; implies -c')
            [CompletionResult]::new('--show-pids', '--show-pids', [CompletionResultType]::ParameterName, 'Show pids; implies -c')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Show the parents of the selected process')
            [CompletionResult]::new('--show-parents', '--show-parents', [CompletionResultType]::ParameterName, 'Show the parents of the selected process')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Show full thread names')
            [CompletionResult]::new('--thread-names', '--thread-names', [CompletionResultType]::ParameterName, 'Show full thread names')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'Hide threads, show only processes')
            [CompletionResult]::new('--hide-threads', '--hide-threads', [CompletionResultType]::ParameterName, 'Hide threads, show only processes')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Show uid transitions')
            [CompletionResult]::new('--uid-changes', '--uid-changes', [CompletionResultType]::ParameterName, 'Show uid transitions')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'With --match: match the whole command line instead of the name')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'With --match: match the whole command line instead of the name')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'proctl;signal' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The signal: a name (TERM, sigterm, RTMIN+1) or a number. Default TERM')
            [CompletionResult]::new('--signal', '--signal', [CompletionResultType]::ParameterName, 'The signal: a name (TERM, sigterm, RTMIN+1) or a number. Default TERM')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'List signal names, or translate N or NAME (kill -l 15 prints TERM)')
            [CompletionResult]::new('--list-names', '--list-names', [CompletionResultType]::ParameterName, 'List signal names, or translate N or NAME (kill -l 15 prints TERM)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Select processes whose name matches this regex')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Select processes of this effective user (name or uid)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Select processes of this effective user (name or uid)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Select children of this pid')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Select children of this pid')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Select members of this process group')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Select members of this session')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Select processes older than DURATION')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp')
            [CompletionResult]::new('--tree', '--tree', [CompletionResultType]::ParameterName, 'Signal PID and all its descendants, stopped first so none escapes')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after DURATION (exit 1)')
            [CompletionResult]::new('--kill-after', '--kill-after', [CompletionResultType]::ParameterName, 'Send KILL to the targets still running after DURATION')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Print a table of signals: number, name, default action, description')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print a table of signals: number, name, default action, description')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, '--name matches the whole command line')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, '--name matches the whole command line')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, '--name must match the whole name (or command line)')
            [CompletionResult]::new('--exact', '--exact', [CompletionResultType]::ParameterName, '--name must match the whole name (or command line)')
            [CompletionResult]::new('--newest', '--newest', [CompletionResultType]::ParameterName, 'Of the selected processes, only the newest')
            [CompletionResult]::new('--oldest', '--oldest', [CompletionResultType]::ParameterName, 'Of the selected processes, only the oldest')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Allow pid 1, 0, -1 and proctl''s own pid')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before signalling several processes')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before signalling several processes')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be signalled; send nothing')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every target has exited')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report every target, not only failures')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report every target, not only failures')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'proctl;kill' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The signal: a name (TERM, sigterm, RTMIN+1) or a number. Default TERM')
            [CompletionResult]::new('--signal', '--signal', [CompletionResultType]::ParameterName, 'The signal: a name (TERM, sigterm, RTMIN+1) or a number. Default TERM')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'List signal names, or translate N or NAME (kill -l 15 prints TERM)')
            [CompletionResult]::new('--list-names', '--list-names', [CompletionResultType]::ParameterName, 'List signal names, or translate N or NAME (kill -l 15 prints TERM)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Select processes whose name matches this regex')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Select processes of this effective user (name or uid)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Select processes of this effective user (name or uid)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Select children of this pid')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Select children of this pid')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Select members of this process group')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Select members of this session')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Select processes older than DURATION')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp')
            [CompletionResult]::new('--tree', '--tree', [CompletionResultType]::ParameterName, 'Signal PID and all its descendants, stopped first so none escapes')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after DURATION (exit 1)')
            [CompletionResult]::new('--kill-after', '--kill-after', [CompletionResultType]::ParameterName, 'Send KILL to the targets still running after DURATION')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Print a table of signals: number, name, default action, description')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print a table of signals: number, name, default action, description')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, '--name matches the whole command line')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, '--name matches the whole command line')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, '--name must match the whole name (or command line)')
            [CompletionResult]::new('--exact', '--exact', [CompletionResultType]::ParameterName, '--name must match the whole name (or command line)')
            [CompletionResult]::new('--newest', '--newest', [CompletionResultType]::ParameterName, 'Of the selected processes, only the newest')
            [CompletionResult]::new('--oldest', '--oldest', [CompletionResultType]::ParameterName, 'Of the selected processes, only the oldest')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Allow pid 1, 0, -1 and proctl''s own pid')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before signalling several processes')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before signalling several processes')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be signalled; send nothing')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every target has exited')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report every target, not only failures')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report every target, not only failures')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'proctl;spawn' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Set KEY=VALUE (repeatable; KEY= sets an empty value)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set KEY=VALUE (repeatable; KEY= sets an empty value)')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove KEY (repeatable)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read KEY=VALUE lines from FILE (repeatable)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run in DIR')
            [CompletionResult]::new('--cwd', '--cwd', [CompletionResultType]::ParameterName, 'Run in DIR')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'stdin: inherit, null or FILE')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Feed TEXT to stdin, then close it')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'stdout: inherit, null, FILE or +FILE (append)')
            [CompletionResult]::new('--stderr', '--stderr', [CompletionResultType]::ParameterName, 'stderr: inherit, null, FILE, +FILE (append) or stdout (merge)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Prefix every output line: --prefix for "[PROGRAM]", --prefix=TEXT for TEXT; stderr lines get "!" after it')
            [CompletionResult]::new('--tee', '--tee', [CompletionResultType]::ParameterName, 'Also copy the output (stdout, and stderr when merged) to FILE')
            [CompletionResult]::new('--nice', '--nice', [CompletionResultType]::ParameterName, 'Niceness, -20 (favoured) to 19')
            [CompletionResult]::new('--rlimit', '--rlimit', [CompletionResultType]::ParameterName, 'Resource limit NAME=SOFT[:HARD] (nofile, nproc, as, core, cpu, fsize, stack, memlock, ...)')
            [CompletionResult]::new('--umask', '--umask', [CompletionResultType]::ParameterName, 'File mode creation mask, in octal')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Send --timeout-signal after DURATION (exit 124)')
            [CompletionResult]::new('--timeout-signal', '--timeout-signal', [CompletionResultType]::ParameterName, 'The signal --timeout sends (default TERM)')
            [CompletionResult]::new('--kill-after', '--kill-after', [CompletionResultType]::ParameterName, 'After the timeout signal, send KILL if still running after DURATION')
            [CompletionResult]::new('--pidfile', '--pidfile', [CompletionResultType]::ParameterName, 'With --detach: write the pid to FILE (atomically)')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'After the program ends, write a JSON report to FILE (- for stdout)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Start with an empty environment')
            [CompletionResult]::new('--clear-env', '--clear-env', [CompletionResultType]::ParameterName, 'Start with an empty environment')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the program, arguments, directory and environment changes; start nothing')
            [CompletionResult]::new('--new-session', '--new-session', [CompletionResultType]::ParameterName, 'Start the program in a new session (setsid)')
            [CompletionResult]::new('--new-group', '--new-group', [CompletionResultType]::ParameterName, 'Start the program in its own process group; signals go to the group, and nothing of it is left behind when proctl exits')
            [CompletionResult]::new('--die-with-parent', '--die-with-parent', [CompletionResultType]::ParameterName, 'Kill the program if proctl dies')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Start in the background (new session, stdin null), print the pid, exit 0')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'proctl;show' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'PATTERN matches the whole command line')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'PATTERN matches the whole command line')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'List the threads with their states')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'List the open file descriptors')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'List the environment variables')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not mask values of secret-looking variables (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*, ...)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'proctl;inspect' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'PATTERN matches the whole command line')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'PATTERN matches the whole command line')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'List the threads with their states')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'List the open file descriptors')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'List the environment variables')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Do not mask values of secret-looking variables (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*, ...)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'proctl;ports' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Only sockets on this local port')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Sockets in every state, not only listening ones')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Sockets in every state, not only listening ones')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'TCP sockets only')
            [CompletionResult]::new('--tcp', '--tcp', [CompletionResultType]::ParameterName, 'TCP sockets only')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'UDP sockets only')
            [CompletionResult]::new('--udp', '--udp', [CompletionResultType]::ParameterName, 'UDP sockets only')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Do not print the header line')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print the header line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'proctl;wait' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto (only on a terminal), always or never. NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them')
            [CompletionResult]::new('--proc-root', '--proc-root', [CompletionResultType]::ParameterName, 'Read process information from another /proc tree (for tests)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after DURATION (exit 1)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say when each process exits')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say when each process exits')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'proctl;help' {
            [CompletionResult]::new('ps', 'ps', [CompletionResultType]::ParameterValue, 'List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`)')
            [CompletionResult]::new('pstree', 'pstree', [CompletionResultType]::ParameterValue, 'Show the process tree (a psmisc `pstree` replacement)')
            [CompletionResult]::new('signal', 'signal', [CompletionResultType]::ParameterValue, 'Send a signal to processes, safely: by pid, group, pattern, user or subtree')
            [CompletionResult]::new('spawn', 'spawn', [CompletionResultType]::ParameterValue, 'Launch a program with its own environment and wired streams, forward signals to it, and report how it ended')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show what a process holds: identity, command, scheduling, CPU, memory, I/O, open files, sockets, environment, limits, signals')
            [CompletionResult]::new('ports', 'ports', [CompletionResultType]::ParameterValue, 'List listening sockets (or all with --all) and the processes holding them')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait for processes (not only children) to exit, like pidwait')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'proctl;help;ps' {
            break
        }
        'proctl;help;pstree' {
            break
        }
        'proctl;help;signal' {
            break
        }
        'proctl;help;spawn' {
            break
        }
        'proctl;help;show' {
            break
        }
        'proctl;help;ports' {
            break
        }
        'proctl;help;wait' {
            break
        }
        'proctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
