//! User and group names for ids, looked up through NSS (like procps) and cached.

use std::collections::HashMap;
use std::sync::Mutex;

use nix::unistd::{Gid, Group, Uid, User};

/// A cache of id-to-name lookups, shared by the renderers and selectors.
#[derive(Debug, Default)]
pub struct NameCache {
    users: Mutex<HashMap<u32, Option<String>>>,
    groups: Mutex<HashMap<u32, Option<String>>>,
}

impl NameCache {
    /// The user name for `uid`, if the system knows one.
    pub fn user(&self, uid: u32) -> Option<String> {
        let mut map = self.users.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(uid)
            .or_insert_with(|| {
                User::from_uid(Uid::from_raw(uid))
                    .ok()
                    .flatten()
                    .map(|u| u.name)
            })
            .clone()
    }

    /// The group name for `gid`, if the system knows one.
    pub fn group(&self, gid: u32) -> Option<String> {
        let mut map = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(gid)
            .or_insert_with(|| {
                Group::from_gid(Gid::from_raw(gid))
                    .ok()
                    .flatten()
                    .map(|g| g.name)
            })
            .clone()
    }
}

/// Resolves a user given by name or number to a uid.
pub fn resolve_user(text: &str) -> Option<u32> {
    if let Ok(uid) = text.parse::<u32>() {
        return Some(uid);
    }
    User::from_name(text).ok().flatten().map(|u| u.uid.as_raw())
}

/// Resolves a group given by name or number to a gid.
pub fn resolve_group(text: &str) -> Option<u32> {
    if let Ok(gid) = text.parse::<u32>() {
        return Some(gid);
    }
    Group::from_name(text)
        .ok()
        .flatten()
        .map(|g| g.gid.as_raw())
}
