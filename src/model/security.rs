//! The security context of a process: capability sets decoded by name,
//! NoNewPrivs, seccomp, the LSM label, supplementary groups and umask, from
//! /proc/PID/status and /proc/PID/attr/current.

use std::path::Path;

use super::ProcessInfo;
use super::unreadable::{Section, Unreadable};

/// Capability names by bit number, as capabilities(7) lists them.
pub const CAP_NAMES: &[&str] = &[
    "cap_chown",
    "cap_dac_override",
    "cap_dac_read_search",
    "cap_fowner",
    "cap_fsetid",
    "cap_kill",
    "cap_setgid",
    "cap_setuid",
    "cap_setpcap",
    "cap_linux_immutable",
    "cap_net_bind_service",
    "cap_net_broadcast",
    "cap_net_admin",
    "cap_net_raw",
    "cap_ipc_lock",
    "cap_ipc_owner",
    "cap_sys_module",
    "cap_sys_rawio",
    "cap_sys_chroot",
    "cap_sys_ptrace",
    "cap_sys_pacct",
    "cap_sys_admin",
    "cap_sys_boot",
    "cap_sys_nice",
    "cap_sys_resource",
    "cap_sys_time",
    "cap_sys_tty_config",
    "cap_mknod",
    "cap_lease",
    "cap_audit_write",
    "cap_audit_control",
    "cap_setfcap",
    "cap_mac_override",
    "cap_mac_admin",
    "cap_syslog",
    "cap_wake_alarm",
    "cap_block_suspend",
    "cap_audit_read",
    "cap_perfmon",
    "cap_bpf",
    "cap_checkpoint_restore",
];

/// The five capability sets of status, in its order.
pub const CAP_SETS: [(&str, &str); 5] = [
    ("CapInh", "inheritable"),
    ("CapPrm", "permitted"),
    ("CapEff", "effective"),
    ("CapBnd", "bounding"),
    ("CapAmb", "ambient"),
];

/// The name of capability `bit` (`cap_N` for one newer than this table).
pub fn cap_name(bit: u32) -> String {
    CAP_NAMES
        .get(bit as usize)
        .map_or_else(|| format!("cap_{bit}"), |n| (*n).to_string())
}

/// The names of the capabilities in a mask.
pub fn cap_names(mask: u64) -> Vec<String> {
    (0..64)
        .filter(|b| mask & (1u64 << b) != 0)
        .map(cap_name)
        .collect()
}

/// Every capability the kernel knows (bits 0..=cap_last_cap).
pub fn all_caps(last_cap: u32) -> u64 {
    if last_cap >= 63 {
        u64::MAX
    } else {
        (1u64 << (last_cap + 1)) - 1
    }
}

/// A capability set in words: `none`, `full`, `full except cap_x`, or the
/// names. "Except" is used when fewer are missing than present.
pub fn describe_caps(mask: u64, last_cap: u32) -> String {
    let all = all_caps(last_cap);
    if mask == 0 {
        return "none".into();
    }
    if mask & all == all {
        return "full".into();
    }
    let missing = all & !mask;
    if missing.count_ones() < (mask & all).count_ones() {
        return format!("full except {}", cap_names(missing).join(" "));
    }
    cap_names(mask).join(" ")
}

/// The kernel's highest capability number (/proc/sys/kernel/cap_last_cap).
pub fn last_cap(proc_root: &Path) -> u32 {
    std::fs::read_to_string(proc_root.join("sys/kernel/cap_last_cap"))
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(CAP_NAMES.len() as u32 - 1)
}

/// The security context of a process.
#[derive(Debug, Clone)]
pub struct Security {
    /// inheritable, permitted, effective, bounding, ambient.
    pub caps: [Option<u64>; 5],
    pub last_cap: u32,
    pub no_new_privs: Option<bool>,
    /// 0 disabled, 1 strict, 2 filter.
    pub seccomp: Option<u8>,
    pub seccomp_filters: Option<u32>,
    pub groups: Vec<u32>,
    pub umask: Option<u32>,
    /// The LSM label; `Ok(None)` when no LSM labels processes.
    pub label: Section<Option<String>>,
}

/// seccomp's mode names (proc(5), Seccomp).
pub fn seccomp_mode(mode: u8) -> &'static str {
    match mode {
        0 => "disabled",
        1 => "strict",
        2 => "filter",
        _ => "unknown",
    }
}

/// Reads the security fields from the status map and attr/current.
pub fn read_security(
    dir: &Path,
    status: &dyn Fn(&str) -> Option<String>,
    proc_root: &Path,
    p: &ProcessInfo,
) -> Security {
    let caps = CAP_SETS.map(|(key, _)| u64::from_str_radix(&status(key)?, 16).ok());
    let label = match std::fs::read(dir.join("attr/current")) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes)
                .trim_end_matches(['\n', '\0'])
                .to_string();
            Ok((!text.is_empty()).then_some(text))
        }
        // EINVAL: no LSM provides a label; ENOENT: no attr directory.
        Err(e)
            if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOENT))
                && !p.is_zombie() =>
        {
            Ok(None)
        }
        Err(e) => Err(Unreadable::from_io(&e, p)),
    };
    Security {
        caps,
        last_cap: last_cap(proc_root),
        no_new_privs: status("NoNewPrivs").map(|v| v == "1"),
        seccomp: status("Seccomp").and_then(|v| v.parse().ok()),
        seccomp_filters: status("Seccomp_filters").and_then(|v| v.parse().ok()),
        groups: status("Groups")
            .map(|v| {
                v.split_whitespace()
                    .filter_map(|g| g.parse().ok())
                    .collect()
            })
            .unwrap_or_default(),
        umask: status("Umask").and_then(|v| u32::from_str_radix(&v, 8).ok()),
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_sets_in_words() {
        assert_eq!(describe_caps(0, 40), "none");
        assert_eq!(describe_caps(0x1ff_ffff_ffff, 40), "full");
        // CapEff of a container that drops CAP_SYS_RESOURCE (bit 24).
        assert_eq!(
            describe_caps(0x1ff_feff_ffff, 40),
            "full except cap_sys_resource"
        );
        assert_eq!(
            describe_caps(0x1fe_ffff_ffff, 40),
            "full except cap_mac_override"
        );
        assert_eq!(
            describe_caps(0x20 | 0x400, 40),
            "cap_kill cap_net_bind_service"
        );
        assert_eq!(cap_name(45), "cap_45");
        assert_eq!(CAP_NAMES.len(), 41);
    }
}
