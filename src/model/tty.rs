//! Terminal names for the tty_nr field of /proc/PID/stat, as procps prints them.

/// The short name of a terminal device number: `pts/3`, `tty1`, `ttyS0`, or
/// `None` when the process has no controlling terminal.
pub fn tty_name(tty_nr: i32) -> Option<String> {
    if tty_nr == 0 {
        return None;
    }
    let dev = tty_nr as u32;
    let major = (dev >> 8) & 0xfff;
    let minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    Some(match major {
        136..=143 => format!("pts/{}", minor + (major - 136) * 256),
        4 if minor < 64 => format!("tty{minor}"),
        4 => format!("ttyS{}", minor - 64),
        5 if minor == 0 => "tty".to_string(),
        5 if minor == 1 => "console".to_string(),
        5 if minor == 2 => "ptmx".to_string(),
        _ => sysfs_name(major, minor).unwrap_or_else(|| format!("{major},{minor}")),
    })
}

/// The device number of a terminal name, for `-t` selection.
pub fn tty_number(name: &str) -> Option<i32> {
    let name = name.strip_prefix("/dev/").unwrap_or(name);
    let encode = |major: u32, minor: u32| -> i32 {
        ((minor & 0xff) | (major << 8) | ((minor & !0xff) << 12)) as i32
    };
    if let Some(n) = name.strip_prefix("pts/") {
        let n: u32 = n.parse().ok()?;
        return Some(encode(136 + n / 256, n % 256));
    }
    if let Some(n) = name.strip_prefix("ttyS") {
        return Some(encode(4, 64 + n.parse::<u32>().ok()?));
    }
    if let Some(n) = name.strip_prefix("tty") {
        if n.is_empty() {
            return Some(encode(5, 0));
        }
        return Some(encode(4, n.parse().ok()?));
    }
    if name == "console" {
        return Some(encode(5, 1));
    }
    None
}

fn sysfs_name(major: u32, minor: u32) -> Option<String> {
    let uevent = std::fs::read_to_string(format!("/sys/dev/char/{major}:{minor}/uevent")).ok()?;
    uevent
        .lines()
        .find_map(|l| l.strip_prefix("DEVNAME="))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_common_terminals() {
        assert_eq!(tty_name(0), None);
        assert_eq!(tty_name(34816).as_deref(), Some("pts/0"));
        assert_eq!(tty_name(34819).as_deref(), Some("pts/3"));
        assert_eq!(tty_name(1025).as_deref(), Some("tty1"));
        assert_eq!(tty_name(1088).as_deref(), Some("ttyS0"));
        assert_eq!(tty_name(1281).as_deref(), Some("console"));
    }

    #[test]
    fn numbers_round_trip() {
        for name in ["pts/0", "pts/7", "pts/300", "tty1", "ttyS2", "console"] {
            let n = tty_number(name).unwrap();
            assert_eq!(tty_name(n).as_deref(), Some(name));
        }
        assert_eq!(tty_number("/dev/pts/1"), tty_number("pts/1"));
        assert_eq!(tty_number("nonsense"), None);
    }
}
