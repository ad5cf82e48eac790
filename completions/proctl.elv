
set edit:completion:arg-completer[proctl] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) PROCTL_COMPLETE="elvish" proctl -- $@words) | to-lines
}

