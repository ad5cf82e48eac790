complete --keep-order --exclusive --command proctl --arguments "(PROCTL_COMPLETE=fish proctl -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
