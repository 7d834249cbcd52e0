//! Compose: a validated document and a tera template become format-neutral blocks.

mod blocks;

pub use blocks::{Block, Composed, Content, Meta, Regions, Role, Run, SlotKind, Table, runs_text};
