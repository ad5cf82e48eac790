//! The parent/child tree over a list of processes, shared by `ps --forest`
//! and `pstree`.

use std::collections::HashMap;

use super::ProcessInfo;

/// Children of each process, as indices into the list the tree was built from.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Processes whose parent is not in the list, in list order.
    pub roots: Vec<usize>,
    /// `children[i]`: the children of process `i`, in list order.
    pub children: Vec<Vec<usize>>,
}

/// One row of a depth-first walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// Index into the process list.
    pub index: usize,
    /// For each level from the first child level down to this row: whether
    /// the node on the path at that level has siblings after it.
    pub more_siblings: Vec<bool>,
}

impl Tree {
    /// Builds the tree from `ppid` links; the list order decides sibling order.
    pub fn build(procs: &[ProcessInfo]) -> Tree {
        let by_pid: HashMap<i32, usize> =
            procs.iter().enumerate().map(|(i, p)| (p.tid, i)).collect();
        let mut tree = Tree {
            roots: Vec::new(),
            children: vec![Vec::new(); procs.len()],
        };
        for (i, p) in procs.iter().enumerate() {
            // A thread row hangs under its process; a process under its parent.
            let parent_id = if p.tid != p.pid { p.pid } else { p.ppid };
            match by_pid.get(&parent_id) {
                Some(&parent) if parent != i => tree.children[parent].push(i),
                _ => tree.roots.push(i),
            }
        }
        tree
    }

    /// Depth-first rows from the given roots; a cycle in the data cannot loop.
    pub fn walk(&self, roots: &[usize]) -> Vec<TreeRow> {
        let mut rows = Vec::with_capacity(self.children.len());
        let mut seen = vec![false; self.children.len()];
        let mut stack: Vec<(usize, Vec<bool>)> =
            roots.iter().rev().map(|&r| (r, Vec::new())).collect();
        while let Some((index, more)) = stack.pop() {
            if std::mem::replace(&mut seen[index], true) {
                continue;
            }
            let kids = &self.children[index];
            for (k, &child) in kids.iter().enumerate().rev() {
                let mut child_more = more.clone();
                child_more.push(k + 1 < kids.len());
                stack.push((child, child_more));
            }
            rows.push(TreeRow {
                index,
                more_siblings: more,
            });
        }
        rows
    }

    /// The indices of `index` and all its descendants.
    pub fn descendants(&self, index: usize) -> Vec<usize> {
        self.walk(&[index]).into_iter().map(|r| r.index).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc(pid: i32, ppid: i32) -> ProcessInfo {
        ProcessInfo {
            pid,
            tid: pid,
            ppid,
            ..ProcessInfo::default()
        }
    }

    #[test]
    fn walk_is_depth_first_with_sibling_flags() {
        let procs = vec![proc(1, 0), proc(2, 1), proc(3, 2), proc(4, 1), proc(9, 77)];
        let tree = Tree::build(&procs);
        assert_eq!(tree.roots, vec![0, 4]);
        let rows = tree.walk(&tree.roots);
        let order: Vec<usize> = rows.iter().map(|r| r.index).collect();
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
        assert_eq!(rows[1].more_siblings, vec![true]);
        assert_eq!(rows[2].more_siblings, vec![true, false]);
        assert_eq!(rows[3].more_siblings, vec![false]);
        assert_eq!(tree.descendants(1), vec![1, 2]);
    }

    #[test]
    fn cycles_do_not_loop() {
        let procs = vec![proc(5, 6), proc(6, 5)];
        let tree = Tree::build(&procs);
        assert!(tree.roots.is_empty());
        assert!(tree.walk(&[0]).len() <= 2);
    }
}
