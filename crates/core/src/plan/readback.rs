//! What the API reads back after a plan's writes, for no-perpetual-diff tests.
//!
//! Each write's body is parsed as a live read would parse it, then laid over the resource
//! following its spec's write semantics: an overwrite replaces the resource (an omitted field
//! reads `null`), a merge keeps what the body leaves out; write-only values are never read
//! back, and resources without a read cannot be read at all. A resource created by POST gets
//! an id, so the next plan PATCHes it.

use crate::live::read::parse_written;
use crate::model::{MfaState, Values};
use crate::plan::Change;
use crate::resource::Semantics;

/// The state a read returns after `changes` were applied to `live`.
pub(crate) fn read_back(live: &MfaState, changes: &[&Change]) -> MfaState {
    let mut state = live.clone();
    for change in changes {
        let spec = change.address.spec();
        if spec.read.is_none() {
            continue;
        }
        let body = change.request.body.clone().unwrap_or_default();
        let Ok(written) = parse_written(spec, &body) else {
            continue;
        };
        let mut values = match spec.semantics {
            Semantics::Overwrite => written,
            Semantics::Merge | Semantics::MergeResendingAll | Semantics::WriteOnly => {
                let mut values: Values = state.get(&change.address).cloned().unwrap_or_default();
                for (key, value) in written.fields {
                    values.set(key, value);
                }
                values
            }
        };
        let id = state.get(&change.address).and_then(|v| v.id.clone());
        values.id = id.or_else(|| spec.write.by_id.map(|_| "created".to_string()));
        state.insert(change.address.clone(), values);
    }
    state
}
