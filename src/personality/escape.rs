//! Names and command lines as procps-ng 4.0.2's library hands them to
//! pgrep (its `escape_str` and `read_unvectored`): control characters
//! become `?`, and text that is not valid for the locale is masked from
//! the first bad byte on. pgrep both prints and matches these forms.

/// Whether the C library's locale (as set from the environment) is UTF-8.
pub fn locale_is_utf8() -> bool {
    // SAFETY: nl_langinfo returns a pointer to a static string, read at
    // once, before any other locale call.
    let codeset = unsafe { nix::libc::nl_langinfo(nix::libc::CODESET) };
    if codeset.is_null() {
        return false;
    }
    // SAFETY: non-null, NUL-terminated, owned by the C library.
    let name = unsafe { std::ffi::CStr::from_ptr(codeset) };
    name.to_bytes().eq_ignore_ascii_case(b"UTF-8")
}

/// Length of the UTF-8 sequence a byte starts, as procps's table has it:
/// `None` for bytes that cannot start one.
fn utf8_len(b: u8) -> Option<usize> {
    match b {
        0x00..=0x7f => Some(1),
        0xc2..=0xdf => Some(2),
        0xe0..=0xef => Some(3),
        0xf0..=0xf4 => Some(4),
        _ => None,
    }
}

/// procps's fallback for a bad locale or broken text: control characters
/// and DEL become `.`, bytes above 0x7f `?`.
fn mask_all(text: &mut [u8]) {
    for b in text {
        if *b < 0x20 || *b == 0x7f {
            *b = b'.';
        } else if *b >= 0x80 {
            *b = b'?';
        }
    }
}

/// procps's `escape_str` on a C string (no NUL bytes).
pub fn escape(text: &[u8], utf8: bool) -> Vec<u8> {
    let mut out = text.to_vec();
    if !utf8 {
        mask_all(&mut out);
        return out;
    }
    let len = out.len();
    let mut i = 0;
    while i < len {
        match utf8_len(out[i]) {
            Some(n) if i + n <= len => {
                if out[i] < 0x20 || out[i] == 0x7f {
                    out[i] = b'?';
                }
                i += n;
            }
            _ => {
                mask_all(&mut out[i..]);
                break;
            }
        }
    }
    out
}

/// The most of a command line procps reads (its MAX_BUFSZ less the NUL).
const CMDLINE_MAX: usize = 128 * 1024 - 1;

/// The command line as pgrep sees it: arguments joined by spaces (NULs
/// and newlines become spaces), a trailing space or newline dropped, at
/// most 128 KiB; `None` when it is empty (kernel threads, zombies).
pub fn joined_cmdline(raw: &[u8]) -> Option<Vec<u8>> {
    let raw = &raw[..raw.len().min(CMDLINE_MAX)];
    if raw.is_empty() {
        return None;
    }
    let kept = raw.len() - raw.iter().rev().take_while(|&&b| b == 0).count();
    let mut out: Vec<u8> = raw[..kept]
        .iter()
        .map(|&b| if b == b'\n' || b == 0 { b' ' } else { b })
        .collect();
    if kept == raw.len() && out.last() == Some(&b' ') {
        out.pop();
    }
    Some(out)
}

/// The command line pgrep prints and matches with `-f`: the joined
/// arguments, escaped, or `[name]` (`[name] <defunct>` for a zombie).
pub fn cmdline_text(raw: Option<&[u8]>, comm: &[u8], zombie: bool, utf8: bool) -> Vec<u8> {
    match raw.and_then(joined_cmdline) {
        // Only NULs: procps's library then says "?".
        Some(joined) if joined.is_empty() => b"?".to_vec(),
        Some(joined) => escape(&joined, utf8),
        None => {
            let mut out = Vec::with_capacity(comm.len() + 12);
            out.push(b'[');
            out.extend_from_slice(&escape(comm, utf8));
            out.push(b']');
            if zombie {
                out.extend_from_slice(b" <defunct>");
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bad_bytes() {
        assert_eq!(escape(b"a\tb\x7fc", true), b"a?b?c");
        assert_eq!(escape("é\x01".as_bytes(), true), "é?".as_bytes());
        assert_eq!(escape(b"ok\xff\x01x", true), b"ok?.x");
        assert_eq!(escape(b"a\xc3", true), b"a?");
        assert_eq!(escape("a\tbé".as_bytes(), false), b"a.b??");
    }

    #[test]
    fn command_lines_join_like_procps() {
        assert_eq!(joined_cmdline(b"sleep\x0010\x00").unwrap(), b"sleep 10");
        assert_eq!(joined_cmdline(b"a\x00\x00b\x00").unwrap(), b"a  b");
        assert_eq!(joined_cmdline(b"a \x00").unwrap(), b"a ");
        assert_eq!(joined_cmdline(b"title \n").unwrap(), b"title ");
        assert_eq!(joined_cmdline(b"a\nb").unwrap(), b"a b");
        assert_eq!(joined_cmdline(b""), None);
        assert_eq!(joined_cmdline(b"\x00\x00"), Some(Vec::new()));
        assert_eq!(
            cmdline_text(Some(b""), b"kworker/0", false, true),
            b"[kworker/0]"
        );
        assert_eq!(cmdline_text(None, b"z", true, true), b"[z] <defunct>");
        assert_eq!(cmdline_text(Some(b"\x00\x00"), b"z", false, true), b"?");
    }
}
