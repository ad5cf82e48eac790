//! Memory mappings of a process (/proc/PID/maps): the files it maps, with
//! permissions and sizes, and the device and inode `--holding` matches.

/// One line of /proc/PID/maps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub start: u64,
    pub end: u64,
    /// `r-xp` style.
    pub perms: String,
    pub offset: u64,
    pub major: u32,
    pub minor: u32,
    pub inode: u64,
    /// The path or pseudo name (`[heap]`); empty for anonymous memory.
    pub path: Vec<u8>,
    pub deleted: bool,
}

impl Mapping {
    /// The size in bytes.
    pub fn size_bytes(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }
}

/// Parses one maps line: `start-end perms offset major:minor inode path`
/// (proc(5)). The path is the rest of the line after the padding.
pub fn parse_line(line: &[u8]) -> Option<Mapping> {
    let mut rest = line;
    let mut field = || -> Option<&[u8]> {
        while rest.first() == Some(&b' ') {
            rest = &rest[1..];
        }
        let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        let (f, r) = rest.split_at(end);
        rest = r;
        (!f.is_empty()).then_some(f)
    };
    let range = std::str::from_utf8(field()?).ok()?;
    let perms = std::str::from_utf8(field()?).ok()?.to_string();
    let offset = u64::from_str_radix(std::str::from_utf8(field()?).ok()?, 16).ok()?;
    let dev = std::str::from_utf8(field()?).ok()?;
    let inode = std::str::from_utf8(field()?).ok()?.parse().ok()?;
    let (start, end) = range.split_once('-')?;
    let (major, minor) = dev.split_once(':')?;
    let path = rest.trim_ascii_start();
    let (path, deleted) = match path.strip_suffix(b" (deleted)") {
        Some(p) => (p.to_vec(), true),
        None => (path.to_vec(), false),
    };
    Some(Mapping {
        start: u64::from_str_radix(start, 16).ok()?,
        end: u64::from_str_radix(end, 16).ok()?,
        perms,
        offset,
        major: u32::from_str_radix(major, 16).ok()?,
        minor: u32::from_str_radix(minor, 16).ok()?,
        inode,
        path,
        deleted,
    })
}

/// Parses a whole maps file, skipping lines it cannot read.
pub fn parse_maps(bytes: &[u8]) -> Vec<Mapping> {
    bytes
        .split(|&b| b == b'\n')
        .filter_map(parse_line)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_lines() {
        let m = parse_line(
            b"7f1c2a000000-7f1c2a022000 r--p 00000000 08:01 1311 /usr/lib/x86_64-linux-gnu/libc.so.6",
        )
        .unwrap();
        assert_eq!(m.size_bytes(), 0x22000);
        assert_eq!((m.major, m.minor, m.inode), (8, 1, 1311));
        assert_eq!(m.path, b"/usr/lib/x86_64-linux-gnu/libc.so.6");
        let m = parse_line(b"55d0 -55d1 rw-p").is_none();
        assert!(m);
        let m = parse_line(b"1000-2000 rw-s 00000000 00:01 42 /memfd:x (deleted)").unwrap();
        assert!(m.deleted);
        assert_eq!(m.path, b"/memfd:x");
        let m = parse_line(b"1000-2000 rw-p 00000000 00:00 0 ").unwrap();
        assert!(m.path.is_empty());
        let m = parse_line(b"1000-2000 rw-p 00000000 00:00 0          [heap]").unwrap();
        assert_eq!(m.path, b"[heap]");
    }
}
