//! The live view's event loop.

use super::sample::Sampler;
use crate::cmd::top::TopConfig;
use crate::error::{Error, Exit, Result};

/// Runs the live view until the user quits.
pub fn run(_config: &TopConfig, _sampler: Sampler) -> Result<Exit> {
    Err(Error::Failed(
        "the live view is not built yet: use --batch".into(),
    ))
}
