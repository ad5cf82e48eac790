//! `proctl top`: a live view of the processes (or frames in batch mode),
//! split into reading ([`sample`]), the view's state ([`state`], pure and
//! tested without a terminal), drawing ([`draw`]) and the terminal's
//! set-up and restore ([`terminal`]).

pub mod batch;
pub mod columns;
pub mod draw;
pub mod fields;
pub mod help;
pub mod input;
pub mod keys;
pub mod live;
pub mod read;
pub mod sample;
pub mod state;
pub mod summary;
pub mod terminal;
pub mod timing;

#[cfg(test)]
mod tests;
