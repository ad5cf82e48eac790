//! Control groups of a process (/proc/PID/cgroup, every hierarchy as the
//! kernel lists it: v1, hybrid and v2), the systemd unit and slice its path
//! names, and the container id a container runtime put in the path.

/// One line of /proc/PID/cgroup: `ID:CONTROLLERS:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupLine {
    pub hierarchy: u32,
    /// Comma-separated controllers; empty for the unified (v2) hierarchy.
    pub controllers: String,
    pub path: Vec<u8>,
}

/// A container found in a cgroup path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    /// docker, containerd, podman, cri-o or kubepods.
    pub runtime: &'static str,
    pub id: String,
}

/// What the cgroup file says.
#[derive(Debug, Clone, Default)]
pub struct Cgroups {
    /// The file as read.
    pub raw: Vec<u8>,
    pub lines: Vec<CgroupLine>,
    pub unit: Option<String>,
    pub slice: Option<String>,
    pub container: Option<Container>,
}

/// Parses /proc/PID/cgroup.
pub fn parse_lines(bytes: &[u8]) -> Vec<CgroupLine> {
    bytes
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let mut parts = line.splitn(3, |&b| b == b':');
            let hierarchy = std::str::from_utf8(parts.next()?).ok()?.parse().ok()?;
            let controllers = String::from_utf8_lossy(parts.next()?).into_owned();
            let path = parts.next()?.to_vec();
            Some(CgroupLine {
                hierarchy,
                controllers,
                path,
            })
        })
        .collect()
}

/// The `cgroup` column as procps prints it: the lines whose path is not
/// the root, joined by commas, `None` (printed `-`) when all are at the
/// root (ps(1), cgroup).
pub fn column_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty() && !l.ends_with(b":/"))
        .collect();
    (!lines.is_empty()).then(|| lines.join(&b","[..]))
}

/// systemd's unit suffixes (systemd.unit(5)); a slice is not a unit here.
const UNIT_SUFFIXES: &[&str] = &[
    ".service",
    ".scope",
    ".socket",
    ".mount",
    ".swap",
    ".timer",
    ".path",
    ".target",
    ".device",
    ".automount",
];

/// Container runtimes and how their cgroup path components look (docker's
/// cgroupfs driver `/docker/ID`, the systemd driver `docker-ID.scope`,
/// containerd's `cri-containerd-ID.scope`, podman's `libpod-ID.scope`,
/// CRI-O's `crio-ID.scope`, and a Kubernetes pod's `kubepods` ancestor).
const RUNTIMES: &[(&str, &str, &str)] = &[
    ("docker-", ".scope", "docker"),
    ("cri-containerd-", ".scope", "containerd"),
    ("libpod-", ".scope", "podman"),
    ("crio-", ".scope", "cri-o"),
];

fn is_container_id(text: &str) -> bool {
    text.len() >= 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn container_in(path: &str) -> Option<Container> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let kubepods = parts.iter().any(|p| p.starts_with("kubepods"));
    for (i, part) in parts.iter().enumerate().rev() {
        for (prefix, suffix, runtime) in RUNTIMES {
            if let Some(id) = part
                .strip_prefix(prefix)
                .and_then(|r| r.strip_suffix(suffix))
                .filter(|id| is_container_id(id))
            {
                return Some(Container {
                    runtime: if kubepods && *runtime == "docker" {
                        "kubepods"
                    } else {
                        runtime
                    },
                    id: id.to_string(),
                });
            }
        }
        if is_container_id(part) && i > 0 {
            let runtime = match parts[i - 1] {
                "docker" => "docker",
                "containerd" => "containerd",
                "libpod_parent" | "machine.slice" => "podman",
                _ if kubepods => "kubepods",
                _ => continue,
            };
            return Some(Container {
                runtime,
                id: part.to_string(),
            });
        }
    }
    None
}

/// Reads the unit, slice and container from the most telling line: the
/// unified hierarchy's, else systemd's named one, else the first.
pub fn analyse(bytes: &[u8]) -> Cgroups {
    let lines = parse_lines(bytes);
    let main = lines
        .iter()
        .find(|l| l.hierarchy == 0 && l.controllers.is_empty() && l.path != b"/")
        .or_else(|| lines.iter().find(|l| l.controllers == "name=systemd"))
        .or_else(|| lines.iter().find(|l| l.path != b"/"));
    let path = main.map(|l| String::from_utf8_lossy(&l.path).into_owned());
    let components: Vec<&str> = path
        .as_deref()
        .unwrap_or("")
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let unit = components
        .iter()
        .rev()
        .find(|c| UNIT_SUFFIXES.iter().any(|s| c.ends_with(s)))
        .map(|c| c.to_string());
    let slice = components
        .iter()
        .rev()
        .find(|c| c.ends_with(".slice"))
        .map(|c| c.to_string());
    let container = lines
        .iter()
        .find_map(|l| container_in(&String::from_utf8_lossy(&l.path)));
    Cgroups {
        raw: bytes.to_vec(),
        lines,
        unit,
        slice,
        container,
    }
}

/// The LXC container a process is in, as procps names it (ps(1), lxc):
/// the first of `lxc.payload.`, `lxc.payload/` (older LXC) and `lxc/`
/// (older still) found in the file; on that line, after the last such
/// mark (nested containers), up to the next `/`. `None` prints `-`.
pub fn lxc_name(cgroup: &[u8]) -> Option<Vec<u8>> {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    for mark in [&b"lxc.payload."[..], b"lxc.payload/", b"lxc/"] {
        let Some(at) = find(cgroup, mark) else {
            continue;
        };
        let line = &cgroup[at..];
        let line = &line[..line.iter().position(|&b| b == b'\n').unwrap_or(line.len())];
        let mut rest = &line[mark.len()..];
        while let Some(next) = find(rest, mark) {
            rest = &rest[next + mark.len()..];
        }
        let end = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
        return Some(rest[..end].to_vec());
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn lxc_names_as_procps_finds_them() {
        use super::lxc_name;
        assert_eq!(
            lxc_name(b"10:cpuset:/lxc/lxc-P/lxc/lxc-P-nested\n").unwrap(),
            b"lxc-P-nested"
        );
        assert_eq!(
            lxc_name(b"2:name=systemd:/\n1:cpu:/lxc.payload.web/init.scope\n0::/\n").unwrap(),
            b"web"
        );
        assert_eq!(lxc_name(b"0::/lxc.payload/old\n").unwrap(), b"old");
        assert_eq!(lxc_name(b"0::/user.slice\n"), None);
    }

    use super::*;

    const ID: &str = "4f1c2ab5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";

    #[test]
    fn hybrid_lines_and_column() {
        let text = b"9:name=systemd:/\n4:memory:/pxt\n1:cpu:/\n0::/pxt2\n";
        let lines = parse_lines(text);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1].controllers, "memory");
        assert_eq!(column_text(text).unwrap(), b"4:memory:/pxt,0::/pxt2");
        assert_eq!(column_text(b"4:memory:/\n0::/\n"), None);
    }

    #[test]
    fn units_slices_and_containers() {
        let c = analyse(b"0::/system.slice/nginx.service\n");
        assert_eq!(c.unit.as_deref(), Some("nginx.service"));
        assert_eq!(c.slice.as_deref(), Some("system.slice"));
        assert_eq!(c.container, None);
        let c = analyse(format!("0::/system.slice/docker-{ID}.scope\n").as_bytes());
        assert_eq!(c.container.unwrap().runtime, "docker");
        let c = analyse(format!("12:memory:/docker/{ID}\n0::/\n").as_bytes());
        assert_eq!(c.container.as_ref().unwrap().id, ID);
        let c = analyse(format!("0::/machine.slice/libpod-{ID}.scope/container\n").as_bytes());
        assert_eq!(c.container.unwrap().runtime, "podman");
        let c = analyse(
            format!("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-{ID}.scope\n").as_bytes(),
        );
        assert_eq!(c.container.unwrap().runtime, "containerd");
        let c = analyse(format!("0::/kubepods/besteffort/pod12/{ID}\n").as_bytes());
        assert_eq!(c.container.unwrap().runtime, "kubepods");
        let c = analyse(b"0::/user.slice/user-1000.slice/session-2.scope\n");
        assert_eq!(c.unit.as_deref(), Some("session-2.scope"));
        assert_eq!(c.slice.as_deref(), Some("user-1000.slice"));
    }
}
