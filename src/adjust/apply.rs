//! Reading and applying changes through the kernel. Linux keeps nice,
//! affinity, scheduling policy and I/O priority per thread, so those are
//! applied to every thread; limits and the OOM score belong to the process.

use std::path::Path;

use nix::errno::Errno;
use nix::libc;

use super::{Change, IoClass, Value};
use crate::model::sched::IOPRIO_CLASS_SHIFT;

/// IOPRIO_WHO_PROCESS: ioprio_get/set name one thread by its id.
const IOPRIO_WHO_PROCESS: libc::c_int = 1;
/// sched_getscheduler(2) ORs this flag into the policy.
const SCHED_RESET_ON_FORK: i32 = 0x4000_0000;

fn check(rc: libc::c_int) -> Result<(), Errno> {
    if rc == -1 { Err(Errno::last()) } else { Ok(()) }
}

/// The nice value of a thread, from its stat line (field 19).
fn read_nice(root: &Path, pid: i32, tid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(
        root.join(pid.to_string())
            .join("task")
            .join(tid.to_string())
            .join("stat"),
    )
    .ok()?;
    let (_, rest) = stat.rsplit_once(") ")?;
    rest.split_whitespace().nth(16)?.parse().ok()
}

fn read_affinity(tid: i32) -> Option<Vec<usize>> {
    let set = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(tid)).ok()?;
    Some(
        (0..nix::sched::CpuSet::count())
            .filter(|&c| set.is_set(c).unwrap_or(false))
            .collect(),
    )
}

fn read_policy(tid: i32) -> Option<Value> {
    // SAFETY: plain syscalls on a thread id with an out-parameter we own.
    let policy = unsafe { libc::sched_getscheduler(tid) };
    if policy < 0 {
        return None;
    }
    let mut param = libc::sched_param { sched_priority: 0 };
    // SAFETY: as above.
    let rc = unsafe { libc::sched_getparam(tid, &mut param) };
    if rc < 0 {
        return None;
    }
    Some(Value::Policy {
        number: policy & !SCHED_RESET_ON_FORK,
        rt_priority: param.sched_priority,
    })
}

fn read_io(tid: i32) -> Option<Value> {
    let prio = u32::try_from(crate::model::sched::io_priority_raw(tid)?).ok()?;
    Some(Value::Io {
        class: IoClass::from_number(prio >> IOPRIO_CLASS_SHIFT)?,
        level: prio & 0xff,
    })
}

/// A process's limit. Reading another user's limits needs
/// CAP_SYS_RESOURCE (prlimit(2)), so EPERM here means "not allowed", not
/// "gone".
fn read_rlimit(pid: i32, resource: &crate::spawn::attrs::RlimitSetting) -> Result<Value, Errno> {
    let mut old = libc::rlimit64 {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: prlimit64 with no new limit only writes `old`.
    let rc = unsafe {
        libc::prlimit64(
            pid,
            resource.resource as libc::__rlimit_resource_t,
            std::ptr::null(),
            &mut old,
        )
    };
    check(rc)?;
    Ok(Value::Rlimit {
        resource: resource.name,
        soft: old.rlim_cur,
        hard: old.rlim_max,
    })
}

fn read_oom(root: &Path, pid: i32) -> Option<Value> {
    std::fs::read_to_string(root.join(pid.to_string()).join("oom_score_adj"))
        .ok()?
        .trim()
        .parse()
        .ok()
        .map(Value::OomScoreAdj)
}

/// The value a change concerns, as the process (its main thread) has it now.
pub fn read(root: &Path, pid: i32, change: &Change) -> Option<Value> {
    read_thread(root, pid, pid, change)
}

/// The value a change concerns, as one thread has it now (the process's
/// value for limits and the OOM score).
pub fn read_thread(root: &Path, pid: i32, tid: i32, change: &Change) -> Option<Value> {
    match change {
        Change::Nice(_) | Change::NiceBy(_) => read_nice(root, pid, tid).map(Value::Nice),
        Change::Affinity(_) => read_affinity(tid).map(Value::Affinity),
        Change::Policy { .. } => read_policy(tid),
        Change::Io { .. } => read_io(tid),
        Change::Rlimit(r) => read_rlimit(pid, r).ok(),
        Change::OomScoreAdj(_) => read_oom(root, pid),
    }
}

/// Why a change was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The kernel said no.
    Os(Errno),
    /// The values make no sense together for this process; says why.
    Values(String),
}

impl From<Errno> for Refusal {
    fn from(e: Errno) -> Refusal {
        Refusal::Os(e)
    }
}

/// Applies a change to one thread (per-thread settings) or to the process
/// (`tid` is then the process id).
pub fn apply_to_thread(root: &Path, pid: i32, tid: i32, change: &Change) -> Result<(), Refusal> {
    match change {
        Change::Nice(n) => Ok(set_nice(tid, *n)?),
        Change::NiceBy(delta) => {
            let now = read_nice(root, pid, tid).ok_or(Errno::ESRCH)?;
            Ok(set_nice(tid, (now + delta).clamp(-20, 19))?)
        }
        Change::Affinity(cpus) => {
            let mut set = nix::sched::CpuSet::new();
            for &c in cpus {
                set.set(c).map_err(|_| Errno::EINVAL)?;
            }
            Ok(nix::sched::sched_setaffinity(
                nix::unistd::Pid::from_raw(tid),
                &set,
            )?)
        }
        Change::Policy {
            policy,
            rt_priority,
        } => {
            let param = libc::sched_param {
                sched_priority: *rt_priority,
            };
            // SAFETY: sched_setscheduler(2) reads `param`.
            Ok(check(unsafe {
                libc::sched_setscheduler(tid, policy.number(), &param)
            })?)
        }
        Change::Io { class, level } => {
            let prio = (class.number() << IOPRIO_CLASS_SHIFT) | level.unwrap_or(0);
            // SAFETY: ioprio_set(2) takes three integers.
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_ioprio_set,
                    IOPRIO_WHO_PROCESS,
                    tid,
                    prio as libc::c_int,
                )
            };
            Ok(check(if rc == -1 { -1 } else { 0 })?)
        }
        Change::Rlimit(r) => {
            let now = read_rlimit(pid, r)?;
            // One side given: the other is the process's own.
            let Some(target) = change.target(Some(&now)) else {
                return Err(Errno::ESRCH.into());
            };
            if let Some(why) = target.conflict() {
                return Err(Refusal::Values(why));
            }
            let Value::Rlimit { soft, hard, .. } = target else {
                return Err(Errno::EINVAL.into());
            };
            let new = libc::rlimit64 {
                rlim_cur: soft,
                rlim_max: hard,
            };
            // SAFETY: prlimit64 reads `new`; no old value is asked for.
            Ok(check(unsafe {
                libc::prlimit64(
                    pid,
                    r.resource as libc::__rlimit_resource_t,
                    &new,
                    std::ptr::null_mut(),
                )
            })?)
        }
        Change::OomScoreAdj(n) => std::fs::write(
            root.join(pid.to_string()).join("oom_score_adj"),
            n.to_string(),
        )
        .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)).into()),
    }
}

/// Whether the change is made once per process rather than per thread.
pub fn per_process(change: &Change) -> bool {
    matches!(change, Change::Rlimit(_) | Change::OomScoreAdj(_))
}

fn set_nice(tid: i32, nice: i32) -> Result<(), Errno> {
    // SAFETY: setpriority(2) takes plain integers.
    check(unsafe { libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, nice) })
}
