//! The merged directory: every user, group and contact from every input file, merged on its
//! identity, with memberships, managers, domains, OUs and trusts resolved to dense ids.
//!
//! Owns: the object model ([`ObjectId`], [`ObjectKind`], attribute columns), identity merging and
//! row accounting ([`build`]), DN interning ([`dn`]). Must not touch: files, encodings, header
//! spellings (that is `ingest`), rules or scenarios. Everything here is plain data; nothing fails
//! after [`build::DirectoryBuilder::finish`].

pub mod attr;
pub mod build;
pub mod cloud;
mod column;
pub mod dn;
pub mod fold;
mod key_index;
pub mod text;

pub use attr::{Attr, ValueKind};
pub use build::{
    BatchRef, BatchRow, DirectoryBuilder, DomainRecord, FileAccount, FileId, RecordBatch, RefKind,
    RefTarget, Rejection, RowWhat, TrustRecord,
};
pub use dn::{DnId, DnInterner, DnSnapshot};
pub use text::{TextArena, TextRef};

use column::{CellBases, Column};

use serde::Serialize;

/// Dense id of a user, group or contact.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize)]
pub struct ObjectId(pub u32);

impl ObjectId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

pub(crate) const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    User,
    Group,
    Contact,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::User => "user",
            ObjectKind::Group => "group",
            ObjectKind::Contact => "contact",
        }
    }
}

/// Dense id of a domain.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize)]
pub struct DomainId(pub u32);

/// How a domain became known.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DomainOrigin {
    /// The `DC=` part of an object's DN.
    ObjectDn,
    /// A domain record (ADRecon `Domain.csv`, a csvde `domainDNS` object).
    Record,
    /// Only the other end of a trust.
    Trust,
}

#[derive(Clone, Debug, Serialize)]
pub struct Domain {
    /// Lowercase DNS name, e.g. `corp.contoso.local`.
    pub name: String,
    pub netbios: Option<String>,
    pub sid: Option<String>,
    pub origin: DomainOrigin,
    /// Users, groups and contacts whose DN lies in the domain.
    pub objects: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Trust {
    pub source: DomainId,
    pub target: DomainId,
    pub direction: Option<String>,
    pub trust_type: Option<String>,
    pub attributes: Option<String>,
}

/// An organizational unit (an `OU=` container), known from a record or from objects' DNs.
#[derive(Clone, Debug, Serialize)]
pub struct Ou {
    #[serde(skip)]
    pub dn: DnId,
    pub domain: Option<DomainId>,
    /// Objects directly inside it.
    pub objects: u64,
    pub from_record: bool,
}

/// Where an object was first read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRef {
    pub file: FileId,
    pub line: u64,
}

/// Two non-empty values of one attribute of one object that disagree across rows.
#[derive(Clone, Debug, Serialize)]
pub struct Conflict {
    pub object: ObjectId,
    pub attribute: &'static str,
    pub kept: String,
    pub other: String,
    pub file: u32,
    pub line: u64,
}

/// A reference (member, memberOf, manager, primary group) that names no object in the inputs.
#[derive(Clone, Debug, Serialize)]
pub struct Unresolved {
    pub kind: &'static str,
    pub target: String,
    pub file: u32,
    pub line: u64,
}

/// Compressed adjacency: the neighbours of `i` are `targets[offsets[i]..offsets[i+1]]`.
#[derive(Clone, Debug, Default)]
pub struct Adjacency {
    offsets: Vec<u32>,
    targets: Vec<ObjectId>,
}

impl Adjacency {
    /// Source → targets over `n` sources, from lists of `source << 32 | target` edges in any
    /// order: each pair once, each source's targets ascending. The edges are placed by source in
    /// two counting passes (they arrive nearly in source order, so the writes run almost in
    /// sequence), then each source's few targets are sorted and deduplicated on every core: one
    /// global sort of the ten million edges of a million users took more than twice as long.
    fn from_edges(n: usize, edges: &[Vec<u64>]) -> Adjacency {
        use rayon::prelude::*;
        let Adjacency {
            offsets,
            mut targets,
        } = Adjacency::placed(n, edges.iter().map(Vec::len).sum(), || {
            edges
                .iter()
                .flatten()
                .map(|&e| ((e >> 32) as u32, e as u32))
        });
        // A block of sources per task, each with its own part of `targets`.
        const BLOCK: usize = 4096;
        let mut blocks: Vec<(usize, &mut [ObjectId])> = Vec::with_capacity(n / BLOCK + 1);
        let mut rest: &mut [ObjectId] = &mut targets;
        for start in (0..n).step_by(BLOCK) {
            let end = (start + BLOCK).min(n);
            let (block, tail) = rest.split_at_mut((offsets[end] - offsets[start]) as usize);
            blocks.push((start, block));
            rest = tail;
        }
        let kept: Vec<Vec<u32>> = blocks
            .into_par_iter()
            .map(|(start, block)| {
                let base = offsets[start];
                (start..(start + BLOCK).min(n))
                    .map(|s| {
                        let own = &mut block[(offsets[s] - base) as usize..]
                            [..(offsets[s + 1] - offsets[s]) as usize];
                        own.sort_unstable();
                        let mut k = 0;
                        for i in 0..own.len() {
                            if k == 0 || own[i] != own[k - 1] {
                                own[k] = own[i];
                                k += 1;
                            }
                        }
                        k as u32
                    })
                    .collect()
            })
            .collect();
        // Close the gaps duplicates left.
        let mut compact = Vec::with_capacity(n + 1);
        compact.push(0u32);
        let mut write = 0usize;
        for (s, k) in kept.into_iter().flatten().enumerate() {
            let from = offsets[s] as usize;
            targets.copy_within(from..from + k as usize, write);
            write += k as usize;
            compact.push(write as u32);
        }
        targets.truncate(write);
        Adjacency {
            offsets: compact,
            targets,
        }
    }

    /// Target → sources over `n` targets, each list ascending.
    fn transposed(&self, n: usize) -> Adjacency {
        let sources = self.offsets.len().saturating_sub(1) as u32;
        Adjacency::placed(n, self.targets.len(), || {
            (0..sources).flat_map(|s| self.of(ObjectId(s)).iter().map(move |t| (t.0, s)))
        })
    }

    /// `(key, value)` pairs over `n` keys, `len` of them, placed by key in two counting passes
    /// over `pairs()`; each key's values keep the order they come in. Each pass is split by key
    /// range over the threads, every thread reading all the pairs and handling its own keys, so
    /// that each writes its own part of the result: at a million users these passes were the
    /// finish's last serial tenths of a second.
    fn placed<I: Iterator<Item = (u32, u32)>>(
        n: usize,
        len: usize,
        pairs: impl Fn() -> I + Sync,
    ) -> Adjacency {
        use rayon::prelude::*;
        let tasks = if len < 1 << 16 {
            1
        } else {
            rayon::current_num_threads().clamp(1, 8)
        };
        // Counts by key (`counts[k]` of key k), each task counting an equal share of the keys.
        let mut counts = vec![0u32; n];
        let share = n.div_ceil(tasks).max(1);
        counts
            .par_chunks_mut(share)
            .enumerate()
            .for_each(|(t, own)| {
                let lo = (t * share) as u32;
                for (k, _) in pairs() {
                    if let Some(c) = k.checked_sub(lo).and_then(|i| own.get_mut(i as usize)) {
                        *c += 1;
                    }
                }
            });
        let mut offsets = Vec::with_capacity(n + 1);
        let mut at = 0u32;
        offsets.push(0);
        for c in counts {
            at += c;
            offsets.push(at);
        }
        // Placed by key ranges holding about equal numbers of values (keys crowd: the groups
        // that every membership targets are a sixth of the ids).
        let mut targets = vec![ObjectId(0); len];
        let mut parts: Vec<(usize, usize, &mut [ObjectId])> = Vec::with_capacity(tasks);
        let mut rest: &mut [ObjectId] = &mut targets;
        let mut lo = 0usize;
        for t in 1..=tasks {
            let want = (len * t / tasks) as u32;
            let hi = if t == tasks {
                n
            } else {
                offsets
                    .partition_point(|&o| o < want)
                    .saturating_sub(1)
                    .clamp(lo, n)
            };
            let (part, tail) = rest.split_at_mut((offsets[hi] - offsets[lo]) as usize);
            parts.push((lo, hi, part));
            rest = tail;
            lo = hi;
        }
        parts.into_par_iter().for_each(|(lo, hi, part)| {
            let base = offsets[lo];
            let mut next: Vec<u32> = offsets[lo..hi].iter().map(|&o| o - base).collect();
            for (k, v) in pairs() {
                let k = k as usize;
                if (lo..hi).contains(&k) {
                    let slot = &mut next[k - lo];
                    part[*slot as usize] = ObjectId(v);
                    *slot += 1;
                }
            }
        });
        Adjacency { offsets, targets }
    }
    pub fn of(&self, i: ObjectId) -> &[ObjectId] {
        match (self.offsets.get(i.index()), self.offsets.get(i.index() + 1)) {
            (Some(&a), Some(&b)) => &self.targets[a as usize..b as usize],
            _ => &[],
        }
    }
    pub fn edges(&self) -> usize {
        self.targets.len()
    }
}

/// Counts of the merged directory, as in `summary.json`'s `directory` section.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct DirectoryCounts {
    pub users: u64,
    pub groups: u64,
    pub contacts: u64,
    pub domains: u64,
    pub ous: u64,
    pub memberships: u64,
    pub sfb_users: u64,
}

/// Frees `v` on a thread of its own. At the end of a large ingest one core is idle while the
/// other finishes the directory, and freeing (unmapping) the merge's tables and the input's
/// mapping took a few tenths of a second on the busy one.
pub fn drop_aside<T: Send + 'static>(v: T) {
    // If no thread can be started, the closure (and `v` with it) is dropped right here.
    let _ = std::thread::Builder::new()
        .name("hybridready-free".into())
        .spawn(move || drop(v));
}

/// The merged directory. Built by [`DirectoryBuilder`]; read-only afterwards.
#[derive(Debug, Default)]
pub struct Directory {
    kinds: Vec<ObjectKind>,
    dn_of: Vec<u32>,
    obj_by_dn: Vec<u32>,
    domain_of: Vec<u32>,
    container_of: Vec<u32>,
    source: Vec<SourceRef>,
    /// A column per attribute some input carried. A column stops at the last object that had a
    /// cell of it (a group's attributes at the groups, a user's mostly run to the end): the
    /// cells past its end are unknown, so a new object writes nothing into columns it has no
    /// value for.
    columns: Vec<Option<Column>>,
    /// Where the values of each block of objects start, for the cells of every column.
    cell_bases: CellBases,
    /// Attributes some input carried a column for.
    known: Vec<bool>,
    text: TextArena,
    dns: DnInterner,
    container_parent: Vec<u32>,
    groups_of: Adjacency,
    members_of: Adjacency,
    manager_of: Vec<u32>,
    /// The group each object's primaryGroupID (or PrimaryGroup DN) resolves to.
    primary_group_of: Vec<u32>,
    domains: Vec<Domain>,
    ous: Vec<Ou>,
    trusts: Vec<Trust>,
    conflicts: Vec<Conflict>,
    conflict_count: u64,
    unresolved: Vec<Unresolved>,
    unresolved_count: u64,
    files: Vec<FileAccount>,
    /// Users as the tenant holds them (see [`cloud`]); `None`: no tenant export was given.
    cloud: Option<Vec<cloud::CloudUser>>,
}

/// Most examples kept of a kind of problem; the counts stay exact.
pub const MAX_EXAMPLES: usize = 1000;

impl Directory {
    /// The users of the tenant exports (Get-CsOnlineUser, Get-MgUser), in file order; `None`
    /// when none was given: what the tenant holds is then unknown, not empty.
    pub fn cloud_users(&self) -> Option<&[cloud::CloudUser]> {
        self.cloud.as_deref()
    }

    /// Adds the users of a tenant export (the ingest reads them beside the AD tables).
    pub fn add_cloud_users(&mut self, users: Vec<cloud::CloudUser>) {
        self.cloud.get_or_insert_with(Vec::new).extend(users);
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
    pub fn ids(&self) -> impl ExactSizeIterator<Item = ObjectId> + use<> {
        (0..self.kinds.len() as u32).map(ObjectId)
    }
    #[inline]
    pub fn kind(&self, id: ObjectId) -> ObjectKind {
        self.kinds[id.index()]
    }
    pub fn ids_of(&self, kind: ObjectKind) -> impl Iterator<Item = ObjectId> + '_ {
        self.ids().filter(move |&i| self.kind(i) == kind)
    }
    #[inline]
    pub fn dn_id(&self, id: ObjectId) -> Option<DnId> {
        let d = self.dn_of[id.index()];
        (d != NONE).then_some(DnId(d))
    }
    /// The object's distinguished name as first seen, if any input gave one.
    #[inline]
    pub fn dn(&self, id: ObjectId) -> Option<&str> {
        self.dn_id(id).map(|d| self.dns.display(d))
    }
    pub fn dns(&self) -> &DnInterner {
        &self.dns
    }
    /// The object that has this DN.
    pub fn object_by_dn(&self, dn: &str) -> Option<ObjectId> {
        let d = self.dns.get(dn)?;
        self.object_by_dn_id(d)
    }
    pub fn object_by_dn_id(&self, d: DnId) -> Option<ObjectId> {
        let o = *self.obj_by_dn.get(d.index())?;
        (o != NONE).then_some(ObjectId(o))
    }
    /// The value of `attr`: `None` when unknown (no input had the column, or its cell held no
    /// data), `Some("")` when the object has no value.
    #[inline(always)]
    pub fn attr(&self, id: ObjectId, attr: Attr) -> Option<&str> {
        let col = self.columns[attr.index()].as_ref()?;
        // A column stops at the last object that had a cell of it: the rest are unknown.
        self.text.get(col.get(id.index(), &self.cell_bases))
    }
    /// The non-empty value of `attr`.
    #[inline]
    pub fn value(&self, id: ObjectId, attr: Attr) -> Option<&str> {
        self.attr(id, attr).filter(|v| !v.is_empty())
    }
    /// The values of a multi-valued attribute (none when unknown or empty).
    #[inline]
    pub fn values(&self, id: ObjectId, attr: Attr) -> impl Iterator<Item = &str> {
        self.value(id, attr)
            .into_iter()
            .flat_map(|v| v.split('\n'))
            .filter(|v| !v.is_empty())
    }
    #[inline]
    pub fn bool_attr(&self, id: ObjectId, attr: Attr) -> Option<bool> {
        match self.value(id, attr)? {
            "True" => Some(true),
            "False" => Some(false),
            _ => None,
        }
    }
    #[inline]
    pub fn int_attr(&self, id: ObjectId, attr: Attr) -> Option<i64> {
        self.value(id, attr)?.parse().ok()
    }
    /// Whether any input carried a column for `attr`.
    pub fn is_known(&self, attr: Attr) -> bool {
        self.known[attr.index()]
    }
    pub fn domain_of(&self, id: ObjectId) -> Option<DomainId> {
        let d = self.domain_of[id.index()];
        (d != NONE).then_some(DomainId(d))
    }
    pub fn domain(&self, id: DomainId) -> &Domain {
        &self.domains[id.0 as usize]
    }
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }
    pub fn domain_by_name(&self, name: &str) -> Option<DomainId> {
        self.domains
            .iter()
            .position(|d| d.name.eq_ignore_ascii_case(name))
            .map(|i| DomainId(i as u32))
    }
    pub fn trusts(&self) -> &[Trust] {
        &self.trusts
    }
    pub fn ous(&self) -> &[Ou] {
        &self.ous
    }
    /// The DN of the container (OU or CN= container) directly holding the object.
    pub fn container_of(&self, id: ObjectId) -> Option<DnId> {
        let c = self.container_of[id.index()];
        (c != NONE).then_some(DnId(c))
    }
    /// The container holding a container.
    pub fn container_parent(&self, c: DnId) -> Option<DnId> {
        let p = *self.container_parent.get(c.index())?;
        (p != NONE).then_some(DnId(p))
    }
    /// Whether the object lies in `container` or below it.
    pub fn is_under(&self, id: ObjectId, container: DnId) -> bool {
        let mut c = self.container_of(id);
        while let Some(d) = c {
            if d == container {
                return true;
            }
            c = self.container_parent(d);
        }
        false
    }
    /// Groups the object is a direct member of (including its primary group).
    pub fn groups_of(&self, id: ObjectId) -> &[ObjectId] {
        self.groups_of.of(id)
    }
    /// Direct members of a group.
    pub fn members_of(&self, group: ObjectId) -> &[ObjectId] {
        self.members_of.of(group)
    }
    /// The object's primary group: a membership AD never lists in `member` or `memberOf`.
    pub fn primary_group(&self, id: ObjectId) -> Option<ObjectId> {
        let g = *self.primary_group_of.get(id.index())?;
        (g != NONE).then_some(ObjectId(g))
    }
    pub fn manager_of(&self, id: ObjectId) -> Option<ObjectId> {
        let m = self.manager_of[id.index()];
        (m != NONE).then_some(ObjectId(m))
    }
    /// Distinct direct member→group edges.
    pub fn membership_count(&self) -> usize {
        self.groups_of.edges()
    }
    pub fn source(&self, id: ObjectId) -> SourceRef {
        self.source[id.index()]
    }
    pub fn conflicts(&self) -> (&[Conflict], u64) {
        (&self.conflicts, self.conflict_count)
    }
    pub fn unresolved(&self) -> (&[Unresolved], u64) {
        (&self.unresolved, self.unresolved_count)
    }
    pub fn file_accounts(&self) -> &[FileAccount] {
        &self.files
    }
    /// Whether a user is enabled for Skype for Business (spec §5): msRTCSIP-UserEnabled, or a
    /// Get-CsUser `Enabled`, is true. When no input carried that flag for the user, a SIP address
    /// stands for it.
    #[inline]
    pub fn is_sfb_enabled(&self, id: ObjectId) -> bool {
        if self.kind(id) != ObjectKind::User {
            return false;
        }
        match self.attr(id, Attr::SfbEnabled) {
            Some("True") => true,
            None => self.value(id, Attr::SipAddress).is_some(),
            _ => false,
        }
    }
    pub fn counts(&self) -> DirectoryCounts {
        let mut c = DirectoryCounts {
            domains: self.domains.len() as u64,
            ous: self.ous.len() as u64,
            memberships: self.membership_count() as u64,
            ..Default::default()
        };
        for id in self.ids() {
            match self.kind(id) {
                ObjectKind::User => {
                    c.users += 1;
                    c.sfb_users += self.is_sfb_enabled(id) as u64;
                }
                ObjectKind::Group => c.groups += 1,
                ObjectKind::Contact => c.contacts += 1,
            }
        }
        c
    }
    /// A short name for messages: the sAMAccountName, UPN, first RDN value or DN.
    pub fn label(&self, id: ObjectId) -> String {
        if let Some(v) = self
            .value(id, Attr::UserPrincipalName)
            .or_else(|| self.value(id, Attr::SamAccountName))
        {
            return v.to_string();
        }
        if let Some(dn) = self.dn(id) {
            return dn::first_rdn_value(dn)
                .map(|c| c.into_owned())
                .unwrap_or_else(|| dn.to_string());
        }
        self.value(id, Attr::Cn)
            .map(str::to_string)
            .unwrap_or_else(|| format!("object #{}", id.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Enough edges for the counting passes to split over threads, keys crowded at the low
    /// end as group ids are: each list as a sort of the pairs says, in input order.
    #[test]
    fn adjacency_placed_by_key_ranges_on_many_edges() {
        let n = 20_000usize;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut edges: Vec<u64> = Vec::new();
        for _ in 0..300_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let s = (x % n as u64) as u32;
            let t = ((x >> 32) % 3_000) as u32;
            edges.push(((s as u64) << 32) | t as u64);
        }
        let (a, b) = edges.split_at(edges.len() / 2);
        let adj = Adjacency::from_edges(n, &[a.to_vec(), b.to_vec()]);
        let (want, want_back) = expected(&edges);
        assert_eq!(listed(&adj, n), want);
        assert_eq!(listed(&adj.transposed(n), n), want_back);
    }

    /// Every list of `adj` as `key << 32 | value`, keys ascending.
    fn listed(adj: &Adjacency, n: usize) -> Vec<u64> {
        (0..n as u32)
            .flat_map(|k| {
                adj.of(ObjectId(k))
                    .iter()
                    .map(move |v| ((k as u64) << 32) | v.0 as u64)
            })
            .collect()
    }

    /// The edges sorted and deduplicated, and the same reversed (target << 32 | source), sorted.
    fn expected(edges: &[u64]) -> (Vec<u64>, Vec<u64>) {
        let mut want = edges.to_vec();
        want.sort_unstable();
        want.dedup();
        let mut back: Vec<u64> = want.iter().map(|e| e.rotate_right(32)).collect();
        back.sort_unstable();
        (want, back)
    }

    proptest! {
        /// Against a sorted, deduplicated list of the same edges, whatever their order and
        /// however often each repeats; sources spread over several blocks of the parallel pass.
        #[test]
        fn adjacency_from_edges_in_any_order(
            pairs in prop::collection::vec((0u32..9000, 0u32..9000), 0..400),
            repeat in 1usize..3,
        ) {
            let n = 9000;
            let mut edges: Vec<u64> = Vec::new();
            for _ in 0..repeat {
                edges.extend(pairs.iter().rev().map(|&(s, t)| ((s as u64) << 32) | t as u64));
            }
            // In parts, as the finish gathers them.
            let (a, b) = edges.split_at(edges.len() / 3);
            let adj = Adjacency::from_edges(n, &[a.to_vec(), b.to_vec()]);
            let (want, want_back) = expected(&edges);
            prop_assert_eq!(&listed(&adj, n), &want);
            prop_assert_eq!(adj.edges(), want.len());
            prop_assert_eq!(listed(&adj.transposed(n), n), want_back);
        }
    }
}
