//! The results of applying several tenants, as a table: tenant, result, detail.
//!
//! ```text
//! Tenant   Result         Detail
//! dev      applied        2 changes, verified
//! staging  failed         Applied 0 of 1 change: 1 failed, 0 not attempted.
//! prod     not attempted  an earlier tenant failed
//! ```

use std::io::{self, Write};

use crate::fleet::Rollout;
use crate::render::table::{Align, table};

/// Writes the table.
pub fn render(rollout: &Rollout, out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<Vec<String>> = rollout
        .tenants
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.status.label().to_string(),
                t.status.detail(),
            ]
        })
        .collect();
    let headers = [
        ("Tenant", Align::Left),
        ("Result", Align::Left),
        ("Detail", Align::Left),
    ];
    for line in table(&headers, &rows) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
