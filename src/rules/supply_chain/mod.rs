pub mod unpinned_tool;
pub mod unverified_tool;
