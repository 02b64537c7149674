//! Printers for several tenants: the plans of a run (human, JSON, Markdown), the results of a
//! rollout, and the comparison of tenants (human, JSON). Like the single-tenant printers, each
//! writes to any `io::Write` and never shows a secret.

pub mod comparison_human;
pub mod comparison_json;
pub mod human;
pub mod json;
pub mod markdown;
pub mod rollout;

#[cfg(test)]
mod snapshot_tests;
