//! One module per command: glue from the command line to the model and the renderers.

pub mod ports;
pub mod ps;
pub mod ps_cells;
pub mod ps_json;
pub mod ps_layout;
pub mod ps_procps;
pub mod ps_sort;
pub mod pstree;
mod pstree_forest;
pub mod set;
pub mod show;
pub mod signal;
pub mod spawn;
pub mod top;
pub mod wait;
