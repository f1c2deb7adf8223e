//! Move waves: the pilot as wave 0, then the remaining movable users in waves of `waves.size`.
//!
//! The order is deliberately simple and documented: by domain, then by the OU holding the user
//! (so an OU tends to move together), then by SIP address. A dependency-aware planner will
//! replace it; everything else calls only [`plan`].

use hybridready_directory::{Attr, Directory, ObjectId};

/// Wave 0 is `pilot` (possibly empty); then `rest` in the documented order, `size` per wave.
pub fn plan(
    dir: &Directory,
    pilot: Vec<ObjectId>,
    mut rest: Vec<ObjectId>,
    size: usize,
) -> Vec<Vec<ObjectId>> {
    let key = |o: &ObjectId| {
        (
            dir.domain_of(*o).map(|d| dir.domain(d).name.clone()),
            dir.container_of(*o)
                .map(|c| dir.dns().display(c).to_ascii_lowercase()),
            dir.value(*o, Attr::SipAddress).map(str::to_ascii_lowercase),
            *o,
        )
    };
    rest.sort_by_cached_key(key);
    let mut waves = vec![pilot];
    waves.extend(rest.chunks(size.max(1)).map(<[ObjectId]>::to_vec));
    waves
}
