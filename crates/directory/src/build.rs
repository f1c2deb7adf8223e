//! Building the directory: batches of rows in, one merged [`Directory`] out.
//!
//! The ingest parses files (in parallel) into [`RecordBatch`]es whose text and DNs are local to the
//! batch; [`DirectoryBuilder::absorb`] merges them, in file order, into the global interner and the
//! identity indexes; [`DirectoryBuilder::finish`] resolves every reference once all files are in.
//! Absorbing in a fixed order makes ids, and so every output, independent of thread timing.
//!
//! Row accounting: each row of each file ends up accepted (a new object, OU, domain, trust or
//! membership edge), merged (into one already known) or rejected (with its line and reason).

use super::column::{CellBases, Column};
use super::dn::{self, DnError, DnId, DnInterner, DnKey, DnLimits, DnSnapshot, prefetch};
use super::fold::{ci_eq, ci_hash, ci_hash_str};
use super::key_index::KeyIndex;
use super::text::{TextArena, TextRef};
use super::{
    Adjacency, Attr, Conflict, Directory, Domain, DomainId, DomainOrigin, MAX_EXAMPLES, NONE,
    ObjectKind, Ou, SourceRef, Trust, Unresolved, ValueKind,
};
use hashbrown::HashMap;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// Index of an input file (or XLSX sheet) in the order the ingest read them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A row the builder could not use.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

/// Where every row of one file went: `rows = accepted + merged + rejected`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileAccount {
    pub rows: u64,
    pub accepted: u64,
    pub merged: u64,
    pub rejected: u64,
    /// The first rejections, with their lines.
    pub rejections: Vec<Rejection>,
    /// Every rejection counted by reason (the reason without its row-specific detail).
    pub rejected_by_reason: BTreeMap<String, u64>,
}

impl FileAccount {
    /// Counts a row rejected for `reason` (its `category` counts every row of that kind).
    pub fn reject(&mut self, line: u64, reason: String, category: &str) {
        self.rows += 1;
        self.rejected += 1;
        *self
            .rejected_by_reason
            .entry(category.to_string())
            .or_default() += 1;
        if self.rejections.len() < MAX_EXAMPLES {
            self.rejections.push(Rejection { line, reason });
        }
    }
    /// Counts a row accepted.
    pub fn accept(&mut self) {
        self.rows += 1;
        self.accepted += 1;
    }
    /// The accounting invariant.
    pub fn balances(&self) -> bool {
        self.rows == self.accepted + self.merged + self.rejected
    }
}

/// What a row describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowWhat {
    Object(ObjectKind),
    /// An organizational unit record (its DN is the row's DN).
    Ou,
    /// A fact about the domain record at this index of [`RecordBatch::domains`].
    Domain(u32),
    /// The trust at this index of [`RecordBatch::trusts`].
    Trust(u32),
    /// One member→group edge, given by the row's `Group` and `Member` refs.
    Membership,
    /// Refused by the ingest: `(category, full reason)`.
    Rejected(String, String),
}

/// What a reference means for the row's object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// The row's object is a member of the target group.
    MemberOf,
    /// The target is a member of the row's group.
    Members,
    /// The target is the row's object's manager.
    Manager,
    /// The target is the row's object's primary group (a `PrimaryGroup` DN column).
    PrimaryGroup,
    /// On a membership row: the group.
    Group,
    /// On a membership row: the member.
    Member,
}

impl RefKind {
    fn as_str(self) -> &'static str {
        match self {
            RefKind::MemberOf => "memberOf",
            RefKind::Members => "member",
            RefKind::Manager => "manager",
            RefKind::PrimaryGroup => "primary group",
            RefKind::Group => "group",
            RefKind::Member => "member",
        }
    }
}

/// How a reference names its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefTarget {
    Dn(DnId),
    Guid(TextRef),
    Sid(TextRef),
    /// `DOMAIN\sAMAccountName`.
    Account(TextRef),
    Upn(TextRef),
    Sam(TextRef),
    /// A common name or sAMAccountName (ADRecon's `Group Name`, a free-form `Group` column).
    Name(TextRef),
}

#[derive(Clone, Copy, Debug)]
pub struct BatchRef {
    pub kind: RefKind,
    pub target: RefTarget,
}

#[derive(Clone, Debug)]
pub struct BatchRow {
    pub line: u64,
    pub what: RowWhat,
    pub dn: Option<DnId>,
    /// The container holding `dn` (interned with it, on the parsing thread).
    pub parent: Option<DnId>,
    pub values: Range<u32>,
    pub refs: Range<u32>,
    /// The identity keys of an object row, found and hashed on the parsing thread.
    pub keys: RowKeys,
}

/// An object row's identity keys, found among its values and hashed where those values are still
/// in cache (the parsing thread), so the serial merge only probes its indexes.
#[derive(Clone, Copy, Debug, Default)]
pub struct RowKeys {
    guid: Option<u128>,
    /// The batch's text of the SID, UPN and sAMAccountName, each with its `ci_hash`.
    sid: Option<(TextRef, u64)>,
    upn: Option<(TextRef, u64)>,
    sam: Option<(TextRef, u64)>,
    /// The `DC=` suffix of the row's DN (its domain), interned with it.
    root: Option<DnId>,
}

#[derive(Clone, Debug, Default)]
pub struct DomainRecord {
    pub name: String,
    pub netbios: Option<String>,
    pub sid: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct TrustRecord {
    pub source: String,
    pub target: String,
    pub direction: Option<String>,
    pub trust_type: Option<String>,
    pub attributes: Option<String>,
}

/// Rows of one file (or a chunk of one), with text and DNs local to the batch.
#[derive(Debug)]
pub struct RecordBatch {
    pub file: FileId,
    pub text: TextArena,
    pub dns: DnInterner,
    pub rows: Vec<BatchRow>,
    pub values: Vec<(Attr, TextRef)>,
    pub refs: Vec<BatchRef>,
    pub domains: Vec<DomainRecord>,
    pub trusts: Vec<TrustRecord>,
    scratch: String,
    /// The last parent and the last domain root interned, as text and id: consecutive rows
    /// mostly share both, and a comparison with the last one costs less than the cache.
    last_parts: [(String, Option<DnId>); 2],
    /// Domain roots by the id of a parent DN (see `root_of`), direct-mapped.
    roots_by_parent: Vec<(u32, Option<DnId>)>,
    dn_cache: Vec<CachedDn>,
    known: Option<Arc<DnSnapshot>>,
    /// The largest DN taken from a cell; the ingest sets them (see [`RecordBatch::with_dn_limits`]).
    dn_limits: DnLimits,
}

/// 16,384 entries of 24 bytes: within a core's L2 cache, and enough for the group DNs that recur
/// row after row in a `memberOf` column.
const DN_CACHE_BITS: u32 = 14;

/// An entry of a batch's DN cache: a DN spelling, by its hash and where its text lies in the
/// interner its id belongs to, so a hit is verified by one load of that text (which can be
/// prefetched), not through the interner's entry first.
#[derive(Clone, Copy, Debug)]
struct CachedDn {
    hash: u64,
    start: u64,
    len: u32,
    id: u32,
}

impl CachedDn {
    const EMPTY: CachedDn = CachedDn {
        hash: 0,
        start: 0,
        len: 0,
        id: u32::MAX,
    };
    /// Whether this entry may hold `dn` (same hash, same length); its text says for sure.
    fn may_hold(&self, at: CacheAt, dn: &str) -> bool {
        self.id != u32::MAX && self.hash == at.hash && self.len as usize == dn.len()
    }
}

/// A DN of a cell on its way to an id: as written, where it is cached, and the cache entry that
/// may hold it.
type PendingDn<'v> = (&'v str, CacheAt, Option<CachedDn>);

/// Where a DN's exact spelling is (or would be) in a batch's DN cache.
#[derive(Clone, Copy, Debug)]
struct CacheAt {
    slot: usize,
    hash: u64,
}
/// Slots of a batch's table of domain roots by parent (see `RecordBatch::root_of`).
const ROOTS_BITS: u32 = 8;
/// An empty slot of that table: no DN id is this large.
const NO_PARENT: u32 = u32::MAX;

/// Marks a DN id of a batch as a directory id (from the known snapshot), not a local one.
const GLOBAL: u32 = 1 << 31;

/// A part of a row's DN that the row's entry refers to by id.
#[derive(Clone, Copy)]
enum Part {
    Parent = 0,
    Root = 1,
}

/// Marks where a row's values and refs start, so a row can be finished or abandoned.
#[derive(Clone, Copy, Debug)]
pub struct RowStart {
    values: u32,
    refs: u32,
}

impl RecordBatch {
    pub fn new(file: FileId) -> Self {
        RecordBatch {
            file,
            text: TextArena::default(),
            dns: DnInterner::default(),
            rows: Vec::new(),
            values: Vec::new(),
            refs: Vec::new(),
            domains: Vec::new(),
            trusts: Vec::new(),
            scratch: String::new(),
            last_parts: Default::default(),
            roots_by_parent: Vec::new(),
            dn_cache: Vec::new(),
            known: None,
            dn_limits: DnLimits::DEFAULT,
        }
    }
    /// This batch emptied for the next chunk, keeping what its vectors have allocated: at a
    /// million users the batches of one file come to gigabytes, and memory the system hands out
    /// anew costs microseconds a page to touch, while a reused one costs nothing.
    pub fn recycled(mut self, file: FileId, known: Option<Arc<DnSnapshot>>) -> Self {
        let same_known = match (&self.known, &known) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        self.file = file;
        self.text.clear();
        self.dns.clear();
        self.rows.clear();
        self.values.clear();
        self.refs.clear();
        self.domains.clear();
        self.trusts.clear();
        self.last_parts = Default::default();
        // Its own ids were this batch's: none may be found again, as a parent or in the cache.
        self.roots_by_parent.fill((NO_PARENT, None));
        // Directory ids from the same snapshot stay valid, and the cache stays warm from one
        // chunk of a file to the next.
        for c in &mut self.dn_cache {
            if !same_known || c.id & GLOBAL == 0 {
                *c = CachedDn::EMPTY;
            }
        }
        self.known = known;
        self
    }
    pub fn start_row(&self) -> RowStart {
        RowStart {
            values: self.values.len() as u32,
            refs: self.refs.len() as u32,
        }
    }
    /// Adds a value of the current row (`""` means the object has no value).
    pub fn value(&mut self, attr: Attr, v: &str) {
        let r = self.text.push(v);
        self.values.push((attr, r));
    }
    /// Refuses the DNs of cells over `limits` (a recycled batch keeps them).
    pub fn with_dn_limits(mut self, limits: DnLimits) -> Self {
        self.dn_limits = limits;
        self
    }
    /// Lets the batch resolve DNs the directory already holds (from earlier files) to their
    /// directory ids on the parsing thread, so that only new DNs reach the serial merge.
    pub fn with_known(mut self, known: Option<Arc<DnSnapshot>>) -> Self {
        self.known = known;
        self
    }

    /// The DN of an id this batch handed out (local, or global from the known snapshot).
    pub fn display(&self, id: DnId) -> &str {
        self.interner_of(id)
            .map_or("", |(interner, id)| interner.display(id))
    }

    /// The interner an id of this batch belongs to, and the id within it.
    fn interner_of(&self, id: DnId) -> Option<(&DnInterner, DnId)> {
        match (id.0 & GLOBAL, &self.known) {
            (0, _) => Some((&self.dns, id)),
            (_, Some(k)) => Some((k, DnId(id.0 & !GLOBAL))),
            (_, None) => None,
        }
    }

    /// Remembers that `dn` is `id`, where the text of `id`'s interner holds `dn` byte for byte
    /// at `start`.
    fn cache(&mut self, at: CacheAt, dn: &str, id: DnId, start: u64) {
        self.dn_cache[at.slot] = CachedDn {
            hash: at.hash,
            start,
            len: dn.len() as u32,
            id: id.0,
        };
    }

    /// The entry of the cache that may hold `dn`: same hash and length, text not yet compared.
    fn cache_candidate(&self, dn: &str, at: CacheAt) -> Option<CachedDn> {
        let c = self.dn_cache[at.slot];
        c.may_hold(at, dn).then_some(c)
    }

    /// Starts loading the text of a cache candidate, so that it is in cache when compared.
    fn prefetch_candidate(&self, c: &CachedDn) {
        if let Some((interner, _)) = self.interner_of(DnId(c.id)) {
            interner.prefetch_text(c.start);
        }
    }

    /// The id of a cache candidate when its text is `dn` byte for byte.
    fn confirmed(&self, dn: &str, c: CachedDn) -> Option<DnId> {
        let (interner, _) = self.interner_of(DnId(c.id))?;
        (interner.text_at(c.start, c.len) == Some(dn.as_bytes())).then_some(DnId(c.id))
    }

    /// Interns a DN: first through a direct-mapped cache of exact spellings (the same group DNs
    /// recur on row after row, and an exact byte match needs no RFC 4514 check), then the
    /// snapshot of DNs the directory already holds by its RFC 4514 key, then this batch's own
    /// interner. Ids with the top bit set are directory ids.
    pub fn intern_dn(&mut self, dn: &str) -> Result<DnId, DnError> {
        let at = self.cache_at(dn);
        if let Some(id) = self
            .cache_candidate(dn, at)
            .and_then(|c| self.confirmed(dn, c))
        {
            return Ok(id);
        }
        // Not `known_plain` first: a DN met here (an object's own, a manager) is mostly new,
        // and the key's one probe of the snapshot finds whatever the plain probe would.
        Ok(self.intern_uncached(dn, at, &DnKey::of(dn, self.dn_limits)?))
    }

    /// Interns a DN that the batch's cells are unlikely to name again: a row's own DN, a
    /// manager's. The cache of exact spellings is left out: the slot such a DN took would mostly
    /// have held a group DN that `memberOf` cells name row after row, and a DN this batch holds
    /// already is found by its interner's probe anyway.
    pub fn intern_dn_once(&mut self, dn: &str) -> Result<DnId, DnError> {
        Ok(self.intern_looked_up(&DnKey::of(dn, self.dn_limits)?))
    }

    /// The key of a DN whose id is wanted a little later, from [`RecordBatch::intern_looked_up`]:
    /// the loads its lookup will wait for (the block of the snapshot's filter, the slot of this
    /// batch's table) start now, and land while the cells in between are read. A row's own DN is
    /// its first cell: looked up at once, it waited on the filter, three quarters of the
    /// snapshot lookup's samples at a million users.
    pub fn look_up_soon<'a>(&self, dn: &'a str) -> Result<DnKey<'a>, DnError> {
        let key = DnKey::of(dn, self.dn_limits)?;
        if let Some(k) = &self.known {
            k.prefetch_filter(key.hash());
        }
        self.dns.prefetch_slot(key.hash());
        Ok(key)
    }

    /// The id of a DN by its key, without the cache of exact spellings (see
    /// [`RecordBatch::intern_dn_once`]).
    pub fn intern_looked_up(&mut self, key: &DnKey) -> DnId {
        match self.known.as_ref().and_then(|k| k.find_key_spelled(key)) {
            Some((g, _)) => DnId(g.0 | GLOBAL),
            None => self.dns.intern_key(key),
        }
    }

    /// Takes the place of a reference by DN whose id comes later ([`RecordBatch::set_dn_ref`]),
    /// so that the row's references keep the order of its cells.
    pub fn dn_ref_later(&mut self, kind: RefKind) -> usize {
        self.refs.push(BatchRef {
            kind,
            target: RefTarget::Dn(DnId(u32::MAX)),
        });
        self.refs.len() - 1
    }

    /// Gives the reference [`RecordBatch::dn_ref_later`] placed its target.
    pub fn set_dn_ref(&mut self, at: usize, id: DnId) {
        if let Some(r) = self.refs.get_mut(at) {
            r.target = RefTarget::Dn(id);
        }
    }

    /// Where `dn` is (or would be) cached. The hash is the DN's `ci_hash`, which also finds it in
    /// the known snapshot when it is written in the common spelling.
    fn cache_at(&mut self, dn: &str) -> CacheAt {
        if self.dn_cache.is_empty() {
            self.dn_cache = vec![CachedDn::EMPTY; 1 << DN_CACHE_BITS];
        }
        let hash = ci_hash(dn.as_bytes());
        CacheAt {
            slot: (hash >> (64 - DN_CACHE_BITS)) as usize,
            hash,
        }
    }

    /// The directory id of a DN the known snapshot holds in this spelling (up to ASCII case),
    /// found without the RFC 4514 pass; cached when spelled exactly as stored.
    fn known_plain(&mut self, dn: &str, at: CacheAt) -> Option<DnId> {
        let (g, exact) = self.known.as_ref()?.find_plain(at.hash, dn)?;
        let id = DnId(g.0 | GLOBAL);
        if let Some(start) = exact {
            self.cache(at, dn, id, start);
        }
        Some(id)
    }

    /// Interns a DN the cache did not hold, and caches it when spelled as first seen.
    fn intern_uncached(&mut self, dn: &str, at: CacheAt, key: &DnKey) -> DnId {
        let (id, exact) = match self.known.as_ref().and_then(|k| k.find_key_spelled(key)) {
            Some((g, exact)) => (DnId(g.0 | GLOBAL), exact),
            None => {
                let id = self.dns.intern_key(key);
                let (start, _) = self.dns.display_span(id);
                (id, (self.dns.display(id) == dn).then_some(start))
            }
        };
        // Only exact spellings are cached: a trimmed or re-spelled DN misses and is re-checked.
        if let Some(start) = exact
            && key.display.len() == dn.len()
        {
            self.cache(at, dn, id, start);
        }
        id
    }

    /// References every DN of a multi-valued cell (a `memberOf` list runs to dozens). The DNs are
    /// taken a group at a time: what their lookups compare (the text of a cached spelling, or
    /// the directory's slot and then its stored key) is loaded for the whole group before any of
    /// them is compared, so that the cache misses of the lookups overlap instead of adding up.
    pub fn dn_refs<'v>(
        &mut self,
        kind: RefKind,
        cell: impl Iterator<Item = &'v str>,
        mut on_error: impl FnMut(&'v str, DnError),
    ) {
        const GROUP: usize = 16;
        let mut cell = cell.peekable();
        while cell.peek().is_some() {
            let mut group: [Option<PendingDn<'v>>; GROUP] = Default::default();
            let mut len = 0;
            for dn in cell.by_ref().take(GROUP) {
                let at = self.cache_at(dn);
                prefetch(&self.dn_cache[at.slot]);
                group[len] = Some((dn, at, None));
                len += 1;
            }
            for (dn, at, candidate) in group[..len].iter_mut().flatten() {
                *candidate = self.cache_candidate(dn, *at);
                match (&candidate, &self.known) {
                    (Some(c), _) => self.prefetch_candidate(c),
                    (None, Some(k)) => k.prefetch_slot(at.hash),
                    (None, None) => {}
                }
            }
            if let Some(k) = &self.known {
                for (_, at, _) in group[..len].iter().flatten().filter(|g| g.2.is_none()) {
                    k.prefetch_key(at.hash);
                }
            }
            for (dn, at, candidate) in group.into_iter().take(len).flatten() {
                let cached = candidate.and_then(|c| self.confirmed(dn, c));
                let id = match cached.or_else(|| self.known_plain(dn, at)) {
                    Some(id) => id,
                    None => match DnKey::of(dn, self.dn_limits) {
                        Ok(key) => self.intern_uncached(dn, at, &key),
                        Err(e) => {
                            on_error(dn, e);
                            continue;
                        }
                    },
                };
                self.refs.push(BatchRef {
                    kind,
                    target: RefTarget::Dn(id),
                });
            }
        }
    }

    pub fn dn_ref(&mut self, kind: RefKind, dn: &str) -> Result<(), DnError> {
        // A manager is a user, named by one or two of its reports at most.
        let id = if kind == RefKind::Manager {
            self.intern_dn_once(dn)?
        } else {
            self.intern_dn(dn)?
        };
        self.refs.push(BatchRef {
            kind,
            target: RefTarget::Dn(id),
        });
        Ok(())
    }
    /// A reference by a key other than a DN; `make` picks the variant.
    pub fn key_ref(&mut self, kind: RefKind, make: fn(TextRef) -> RefTarget, key: &str) {
        let r = self.text.push(key.trim());
        if r.has_value() {
            self.refs.push(BatchRef {
                kind,
                target: make(r),
            });
        }
    }
    /// Ends the current row. `dn` comes from [`RecordBatch::dns`] (`self.dns.intern`).
    pub fn end_row(&mut self, start: RowStart, line: u64, what: RowWhat, dn: Option<DnId>) {
        let parent = dn.and_then(|d| self.intern_part(d, Part::Parent));
        let mut keys = RowKeys::default();
        if let RowWhat::Object(_) = what {
            keys.root = self.root_of(dn, parent);
            let hashed = |r: TextRef| {
                let v = self.text.get(r).unwrap_or_default();
                (r, ci_hash_str(v))
            };
            // The first value of each key counts, as when the merge read them.
            for &(attr, r) in self.values[start.values as usize..].iter().rev() {
                if !r.has_value() {
                    continue;
                }
                match attr {
                    Attr::ObjectGuid => {
                        keys.guid = self.text.get(r).and_then(guid_key);
                    }
                    Attr::Sid => keys.sid = Some(hashed(r)),
                    Attr::UserPrincipalName => keys.upn = Some(hashed(r)),
                    Attr::SamAccountName => keys.sam = Some(hashed(r)),
                    _ => {}
                }
            }
        }
        self.rows.push(BatchRow {
            line,
            what,
            dn,
            parent,
            values: start.values..self.values.len() as u32,
            refs: start.refs..self.refs.len() as u32,
            keys,
        });
    }

    /// The domain root of the DN `d`, whose parent is `parent`. A DN whose own RDN is not a
    /// `DC=` one lies in the domain of its parent, and the objects of a batch lie in a few
    /// hundred containers at most: the root is remembered by parent, not found in each DN.
    fn root_of(&mut self, d: Option<DnId>, parent: Option<DnId>) -> Option<DnId> {
        let d = d?;
        let Some(p) = parent.filter(|_| !is_dc_rdn(self.display(d))) else {
            return self.intern_part(d, Part::Root);
        };
        if self.roots_by_parent.is_empty() {
            self.roots_by_parent = vec![(NO_PARENT, None); 1 << ROOTS_BITS];
        }
        let slot = (p.0.wrapping_mul(0x9E37_79B9) >> (32 - ROOTS_BITS)) as usize;
        match self.roots_by_parent[slot] {
            (q, root) if q == p.0 => root,
            _ => {
                let root = self.intern_part(d, Part::Root);
                self.roots_by_parent[slot] = (p.0, root);
                root
            }
        }
    }

    /// Interns a part of the DN `d` (its parent, its domain root).
    fn intern_part(&mut self, d: DnId, which: Part) -> Option<DnId> {
        let part = match which {
            Part::Parent => dn::parent,
            Part::Root => domain_root,
        };
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let found = part(self.display(d)).map(|p| scratch.push_str(p)).is_some();
        let last = &self.last_parts[which as usize];
        let id = if !found {
            None
        } else if last.1.is_some() && last.0 == scratch {
            last.1
        } else {
            let id = self.intern_dn(&scratch).ok();
            let last = &mut self.last_parts[which as usize];
            last.0.clone_from(&scratch);
            last.1 = id;
            id
        };
        self.scratch = scratch;
        id
    }
    /// Drops whatever the row added and records it as rejected.
    pub fn reject_row(&mut self, start: RowStart, line: u64, category: &str, reason: String) {
        self.values.truncate(start.values as usize);
        self.refs.truncate(start.refs as usize);
        self.rows.push(BatchRow {
            line,
            what: RowWhat::Rejected(category.to_string(), reason),
            dn: None,
            parent: None,
            values: start.values..start.values,
            refs: start.refs..start.refs,
            keys: RowKeys::default(),
        });
    }
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Dn(DnId),
    Guid(TextRef),
    Sid(TextRef),
    Account(TextRef),
    Upn(TextRef),
    Sam(TextRef),
    Name(TextRef),
}

/// A reference waiting for every file to be in: 8 bytes, since a million users carry ten million
/// of them. Its kind, how it names its target, and the target: a DN id, or where the key's text
/// is in `DirectoryBuilder::key_targets` (PowerShell and csvde exports name every target by DN).
/// The object it is from, and the file and line it came from, are its row's: the references of a
/// row are consecutive, and share one `Origin` (`DirectoryBuilder::origins`), which says where
/// they end.
#[derive(Clone, Copy, Debug)]
struct PendingRef(u64);

const _: () = assert!(std::mem::size_of::<PendingRef>() == 8);

/// The row a run of references came from, the object it merged into, and where its run ends.
#[derive(Clone, Copy, Debug)]
struct Origin {
    file: FileId,
    from: u32,
    line: u64,
    /// The index in `DirectoryBuilder::refs` past the row's last reference.
    refs_end: u32,
}

impl PendingRef {
    /// Every kind, at the index of its discriminant (which is what a reference stores).
    const KINDS: [RefKind; 6] = [
        RefKind::MemberOf,
        RefKind::Members,
        RefKind::Manager,
        RefKind::PrimaryGroup,
        RefKind::Group,
        RefKind::Member,
    ];
    const KINDS_BY_DISCRIMINANT: () = {
        let mut i = 0;
        while i < Self::KINDS.len() {
            assert!(Self::KINDS[i] as usize == i);
            i += 1;
        }
    };
    fn new(kind: RefKind, target: Target, key_targets: &mut Vec<TextRef>) -> Self {
        let mut key = |r: TextRef| {
            key_targets.push(r);
            (key_targets.len() - 1) as u32
        };
        let (tag, payload) = match target {
            Target::Dn(d) => (0, d.0),
            Target::Guid(r) => (1, key(r)),
            Target::Sid(r) => (2, key(r)),
            Target::Account(r) => (3, key(r)),
            Target::Upn(r) => (4, key(r)),
            Target::Sam(r) => (5, key(r)),
            Target::Name(r) => (6, key(r)),
        };
        let () = Self::KINDS_BY_DISCRIMINANT;
        PendingRef((kind as u64) << 40 | (tag as u64) << 32 | payload as u64)
    }
    fn kind(self) -> RefKind {
        Self::KINDS[(self.0 >> 40) as usize % Self::KINDS.len()]
    }
    fn target(self, key_targets: &[TextRef]) -> Target {
        let payload = self.0 as u32;
        let tag = (self.0 >> 32) as u8;
        if tag == 0 {
            return Target::Dn(DnId(payload));
        }
        let key = key_targets
            .get(payload as usize)
            .copied()
            .unwrap_or(TextRef::UNKNOWN);
        match tag {
            1 => Target::Guid(key),
            2 => Target::Sid(key),
            3 => Target::Account(key),
            4 => Target::Upn(key),
            5 => Target::Sam(key),
            _ => Target::Name(key),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct PendingMembership {
    group: Option<Target>,
    member: Option<Target>,
    file: FileId,
    line: u64,
}

/// The objects a row's keys point at, strongest key first (at most one per key kind, so no heap).
#[derive(Default)]
struct Candidates {
    items: [(&'static str, u32); 5],
    len: usize,
}

impl Candidates {
    fn push(&mut self, c: (&'static str, u32)) {
        if self.len < self.items.len() {
            self.items[self.len] = c;
            self.len += 1;
        }
    }
    fn get(&self, i: usize) -> (&'static str, u32) {
        self.items[i]
    }
    fn first(&self) -> Option<(&'static str, u32)> {
        (self.len > 0).then(|| self.items[0])
    }
    fn retain(&mut self, mut keep: impl FnMut(&'static str, u32) -> bool) {
        let mut n = 0;
        for i in 0..self.len {
            let (k, o) = self.items[i];
            if keep(k, o) {
                self.items[n] = (k, o);
                n += 1;
            }
        }
        self.len = n;
    }
}

/// Key hashes of a new object, for the keys no object held yet.
#[derive(Clone, Copy)]
struct KeyHashes {
    guid: Option<u128>,
    sid: Option<u64>,
    upn: Option<u64>,
    account: Option<u64>,
}

/// Merges batches into a directory. See the module docs.
#[derive(Default)]
pub struct DirectoryBuilder {
    dir: Directory,
    guid_index: KeyIndex,
    sid_index: KeyIndex,
    upn_index: KeyIndex,
    /// `(domain root DN id, sAMAccountName)`.
    account_index: KeyIndex,
    account_domain: Vec<u32>,
    obj_by_dn: Vec<u32>,
    refs: Vec<PendingRef>,
    /// The text of the references that name their target by a key other than a DN.
    key_targets: Vec<TextRef>,
    /// The file, line and object of each row that carried references, in the order of `refs`.
    origins: Vec<Origin>,
    memberships: Vec<PendingMembership>,
    ou_records: Vec<DnId>,
    domain_records: Vec<(DomainRecord, FileId)>,
    trust_records: Vec<TrustRecord>,
    trust_keys: hashbrown::HashSet<(String, String)>,
    /// Expected objects, so columns are allocated once at their final size.
    capacity: usize,
    /// Per file: the domain its name-only references belong to.
    file_domains: Vec<Option<String>>,
}

/// The value of each hex digit; `0xFF` for any other byte.
const HEX_DIGIT: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            _ => 0xFF,
        };
        c += 1;
    }
    t
};

/// Parses a canonical GUID (`xxxxxxxx-xxxx-…`, as the ingest stores it) to a number.
fn guid_key(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() == 36 && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-') {
        // The digits of a GUID are random, so a branch on each (digit or letter) mispredicts
        // half the time: a table and one check at the end do not branch. Each half of the
        // number gathers in a register of its own (shifting a u128 takes three instructions).
        let mut bad = 0u8;
        let mut digits = |run: &[u8], v: u64| {
            run.iter().fold(v, |v, &c| {
                let d = HEX_DIGIT[c as usize];
                bad |= d;
                (v << 4) | (d & 0x0F) as u64
            })
        };
        let mut high = digits(&b[..8], 0);
        high = digits(&b[9..13], high);
        high = digits(&b[14..18], high);
        let mut low = digits(&b[19..23], 0);
        low = digits(&b[24..], low);
        return (bad & 0xF0 == 0).then_some((high as u128) << 64 | low as u128);
    }
    guid_key_loose(s)
}

/// [`guid_key`] for any spelling: 32 hex digits, with dashes anywhere.
fn guid_key_loose(s: &str) -> Option<u128> {
    let mut v: u128 = 0;
    let mut n = 0;
    for c in s.bytes() {
        let digit = match c {
            b'-' => continue,
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return None,
        };
        v = (v << 4) | digit as u128;
        n += 1;
    }
    (n == 32).then_some(v)
}

/// The index hash of a GUID: its halves folded and mixed, so the low bits the index uses depend
/// on every bit.
fn guid_hash(g: u128) -> u64 {
    let x = (g as u64) ^ ((g >> 64) as u64).rotate_left(29);
    let m = x as u128 * 0x9e37_79b9_7f4a_7c15u128;
    (m as u64) ^ ((m >> 64) as u64)
}

/// Whether the first RDN of `dn` is a `DC=` one, as [`domain_root`] tells them.
fn is_dc_rdn(dn: &str) -> bool {
    let b = dn.trim_start().as_bytes();
    b.len() >= 3 && b[..3].eq_ignore_ascii_case(b"DC=")
}

/// The `DC=` suffix of a DN (`DC=contoso,DC=com`), if any.
fn domain_root(dn: &str) -> Option<&str> {
    let mut offset = 0;
    let mut root = None;
    for rdn in dn::rdns(dn) {
        let trimmed = rdn.trim_start();
        let is_dc = trimmed.len() > 3 && trimmed.as_bytes()[..3].eq_ignore_ascii_case(b"DC=");
        match (is_dc, root) {
            (true, None) => root = Some(offset + (rdn.len() - trimmed.len())),
            (false, Some(_)) => root = None,
            _ => {}
        }
        offset += rdn.len() + 1;
    }
    root.map(|r| &dn[r..])
}

/// Whether `lossy` is `full` as an ASCII export (or an Excel code-page save) would have written
/// it: the same text with non-ASCII letters replaced by `?` or `_`, or by U+FFFD (the ingest's
/// mark of a letter an ASCII export lost).
fn is_lossy_copy(lossy: &str, full: &str) -> bool {
    if full.is_ascii() || lossy.chars().count() != full.chars().count() {
        return false;
    }
    lossy
        .chars()
        .zip(full.chars())
        .all(|(l, f)| l == f || (matches!(l, '?' | '_' | '\u{FFFD}') && !f.is_ascii()))
}

/// Attributes whose comparison ignores case (identities are case-insensitive in AD).
fn case_insensitive(attr: Attr) -> bool {
    matches!(
        attr,
        Attr::UserPrincipalName
            | Attr::SamAccountName
            | Attr::Mail
            | Attr::SipAddress
            | Attr::HostingProvider
            | Attr::RegistrarPool
            | Attr::PrimaryHomeServer
            | Attr::TargetAddress
    )
}

/// Attributes whose text depends on the exporting machine's locale: never compared.
fn locale_dependent(attr: Attr) -> bool {
    matches!(attr, Attr::WhenCreated | Attr::LastLogon)
}

enum Agreement {
    Same,
    /// The new value is the complete form of a lossy existing one.
    Replace,
    Conflict,
}

fn agree(attr: Attr, old: &str, new: &str) -> Agreement {
    if old == new || locale_dependent(attr) {
        return Agreement::Same;
    }
    if case_insensitive(attr) && ci_eq(old, new) {
        return Agreement::Same;
    }
    if attr.kind() == ValueKind::Multi {
        let mut a: Vec<&str> = old.split('\n').collect();
        let mut b: Vec<&str> = new.split('\n').collect();
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            return Agreement::Same;
        }
    }
    if is_lossy_copy(new, old) {
        return Agreement::Same;
    }
    if is_lossy_copy(old, new) {
        return Agreement::Replace;
    }
    Agreement::Conflict
}

impl DirectoryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    fn account(&mut self, file: FileId) -> &mut super::FileAccount {
        let i = file.0 as usize;
        if self.dir.files.len() <= i {
            self.dir.files.resize_with(i + 1, Default::default);
        }
        &mut self.dir.files[i]
    }

    /// The DNs known so far, for the batches of the next file (see [`RecordBatch::with_known`]).
    /// Directory ids only grow, so they stay valid while later batches are absorbed.
    pub fn known_dns(&self) -> Arc<DnSnapshot> {
        Arc::new(self.dir.dns.snapshot())
    }

    /// DNs interned so far.
    pub fn dn_count(&self) -> usize {
        self.dir.dns.len()
    }

    /// Makes sure the account of `file` exists, so a file with no rows still has one.
    pub fn register_file(&mut self, file: FileId) {
        self.account(file);
    }

    /// Records a row the ingest could not even read into a batch (a malformed record).
    pub fn reject_unread_row(&mut self, file: FileId, line: u64, category: &str, reason: String) {
        self.account(file).reject(line, reason, category);
    }

    /// The column of `attr`, made (empty) if no value of it came before. A column may be
    /// shorter than the objects: the cells past its end are unknown.
    #[inline(always)]
    fn column_mut(&mut self, attr: Attr) -> (&mut Column, &mut CellBases) {
        let cap = self.capacity.max(self.dir.kinds.len());
        let d = &mut self.dir;
        d.known[attr.index()] = true;
        let col = d.columns[attr.index()].get_or_insert_with(|| Column::with_capacity(cap));
        (col, &mut d.cell_bases)
    }

    /// Starts loading the column cells two cache lines past the last object, once every sixteen
    /// objects (a cache line of four-byte cells): each new object writes a cell into each of
    /// twenty-odd columns, each column a stream of its own through fresh memory, more streams than
    /// the hardware prefetcher follows, and the merge stalled on those writes.
    fn prefetch_cells(&mut self) {
        const CELLS_PER_LINE: usize = 64 / std::mem::size_of::<u32>();
        const CELLS_AHEAD: usize = 2 * CELLS_PER_LINE;
        let n = self.dir.kinds.len();
        if !n.is_multiple_of(CELLS_PER_LINE) {
            return;
        }
        for col in self.dir.columns.iter_mut().flatten() {
            // Only the columns being filled: those that end near the last object.
            if col.len() + 64 >= n {
                col.prefetch(n + CELLS_AHEAD);
            }
        }
    }

    /// Makes room for about `objects` more objects, so that large inputs do not grow (and copy)
    /// every column, or rehash the DN table and identity indexes, many times over.
    pub fn reserve_objects(&mut self, objects: usize) {
        self.origins.reserve(objects);
        // Each rehash of a million keys is a pass of cache misses.
        self.dir.dns.reserve(objects);
        for index in [
            &mut self.guid_index,
            &mut self.sid_index,
            &mut self.upn_index,
            &mut self.account_index,
        ] {
            index.reserve(objects);
        }
        let d = &mut self.dir;
        self.capacity = self.capacity.max(d.kinds.len() + objects);
        d.kinds.reserve(objects);
        d.dn_of.reserve(objects);
        d.container_of.reserve(objects);
        d.source.reserve(objects);
        self.account_domain.reserve(objects);
        for c in d.columns.iter_mut().flatten() {
            c.reserve_total(self.capacity);
        }
        // One entry per DN: the objects' own, most of the other DNs being their containers.
        self.obj_by_dn.reserve(objects);
    }

    /// Makes room for about `text` more bytes of values, `refs` more references and `dn_text`
    /// more bytes of DNs.
    pub fn reserve_values(&mut self, text: usize, refs: usize, dn_text: usize) {
        self.refs.reserve(refs);
        self.dir.text.reserve(text);
        self.dir.dns.reserve_text(dn_text);
    }

    fn col_text(&self, obj: u32, attr: Attr) -> Option<&str> {
        let col = self.dir.columns[attr.index()].as_ref()?;
        self.dir
            .text
            .get(col.get(obj as usize, &self.dir.cell_bases))
            .filter(|s| !s.is_empty())
    }

    fn index_for(&self, attr: Attr) -> Option<&KeyIndex> {
        match attr {
            Attr::Sid => Some(&self.sid_index),
            Attr::UserPrincipalName => Some(&self.upn_index),
            _ => None,
        }
    }

    fn lookup_attr(&self, attr: Attr, key: &str) -> Option<u32> {
        self.lookup_attr_hashed(attr, ci_hash_str(key), || key)
    }

    /// `h` is `ci_hash_str(key)`, so a caller that needs it again computes it once. The key is
    /// read only when a slot's hash matches: a new object's keys (most rows at scale) miss, and
    /// their text need not be loaded at all.
    fn lookup_attr_hashed<'k>(&self, attr: Attr, h: u64, key: impl Fn() -> &'k str) -> Option<u32> {
        self.index_for(attr)?.find(h, |o| {
            self.col_text(o, attr).is_some_and(|v| ci_eq(v, key()))
        })
    }

    fn account_hash(domain: u32, sam: &str) -> u64 {
        Self::account_hash_of(domain, ci_hash_str(sam))
    }

    /// [`DirectoryBuilder::account_hash`] from the `ci_hash_str` of the sAMAccountName.
    fn account_hash_of(domain: u32, sam_hash: u64) -> u64 {
        sam_hash ^ (domain as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn lookup_account(&self, domain: u32, sam: &str) -> Option<u32> {
        self.lookup_account_hashed(domain, Self::account_hash(domain, sam), || sam)
    }

    /// Like [`DirectoryBuilder::lookup_attr_hashed`], for `(domain, sAMAccountName)`.
    fn lookup_account_hashed<'k>(
        &self,
        domain: u32,
        h: u64,
        sam: impl Fn() -> &'k str,
    ) -> Option<u32> {
        self.account_index.find(h, |o| {
            self.account_domain[o as usize] == domain
                && self
                    .col_text(o, Attr::SamAccountName)
                    .is_some_and(|v| ci_eq(v, sam()))
        })
    }

    fn lookup_guid(&self, g: u128) -> Option<u32> {
        self.guid_index.find(guid_hash(g), |o| {
            self.col_text(o, Attr::ObjectGuid).and_then(guid_key) == Some(g)
        })
    }

    /// Indexes `obj` under GUID `g` unless an object holds it already (the first holder wins).
    fn index_guid(&mut self, g: u128, obj: u32) {
        if self.lookup_guid(g).is_none() {
            self.guid_index.insert(guid_hash(g), obj);
        }
    }

    /// Starts loading the index slots the keys of a row ahead will probe.
    fn prefetch_keys(&self, keys: &RowKeys, domain: u32) {
        if let Some(g) = keys.guid {
            self.guid_index.prefetch(guid_hash(g));
        }
        if let Some((_, h)) = keys.sid {
            self.sid_index.prefetch(h);
        }
        if let Some((_, h)) = keys.upn {
            self.upn_index.prefetch(h);
        }
        if let Some((_, h)) = keys.sam
            && domain != NONE
        {
            self.account_index
                .prefetch(Self::account_hash_of(domain, h));
        }
    }

    /// Adds the object's key values to the indexes (first holder of a value wins).
    fn index_object(&mut self, obj: u32) {
        if let Some(g) = self.col_text(obj, Attr::ObjectGuid).and_then(guid_key) {
            self.index_guid(g, obj);
        }
        for attr in [Attr::Sid, Attr::UserPrincipalName] {
            let Some(v) = self.col_text(obj, attr) else {
                continue;
            };
            if self.lookup_attr(attr, v).is_some() {
                continue;
            }
            let h = ci_hash_str(v);
            let index = match attr {
                Attr::Sid => &mut self.sid_index,
                _ => &mut self.upn_index,
            };
            index.insert(h, obj);
        }
        let domain = self.account_domain[obj as usize];
        if domain != NONE
            && let Some(sam) = self.col_text(obj, Attr::SamAccountName)
            && self.lookup_account(domain, sam).is_none()
        {
            let h = Self::account_hash(domain, sam);
            self.account_index.insert(h, obj);
        }
    }

    /// Removes the object's index entries (before one of its key values changes): they are
    /// under the hashes of its current key values.
    fn unindex_object(&mut self, obj: u32) {
        if let Some(g) = self.col_text(obj, Attr::ObjectGuid).and_then(guid_key) {
            self.guid_index.remove(guid_hash(g), obj);
        }
        let sid = self.col_text(obj, Attr::Sid).map(ci_hash_str);
        let upn = self.col_text(obj, Attr::UserPrincipalName).map(ci_hash_str);
        if let Some(h) = sid {
            self.sid_index.remove(h, obj);
        }
        if let Some(h) = upn {
            self.upn_index.remove(h, obj);
        }
        let domain = self.account_domain[obj as usize];
        if domain != NONE
            && let Some(sam) = self.col_text(obj, Attr::SamAccountName)
        {
            let h = Self::account_hash(domain, sam);
            self.account_index.remove(h, obj);
        }
    }

    /// Merges one batch. Batches must come in file order, and chunks of a file in order.
    pub fn absorb(&mut self, batch: &RecordBatch) {
        if self.dir.columns.is_empty() {
            self.dir.columns = vec![None; Attr::COUNT];
            self.dir.known = vec![false; Attr::COUNT];
        }
        let file = batch.file;
        self.account(file);
        let base = self.dir.text.append(&batch.text);
        debug_assert!(
            batch
                .known
                .as_ref()
                .is_none_or(|k| k.len() <= self.dir.dns.len())
        );
        let dn_map = self.dir.dns.absorb(&batch.dns);
        if self.obj_by_dn.len() < self.dir.dns.len() {
            self.obj_by_dn.resize(self.dir.dns.len(), NONE);
        }
        let map_dn = |d: DnId| {
            if d.0 & GLOBAL != 0 {
                DnId(d.0 & !GLOBAL)
            } else {
                dn_map[d.index()]
            }
        };
        let map_target = |t: RefTarget| match t {
            RefTarget::Dn(d) => Target::Dn(map_dn(d)),
            RefTarget::Guid(r) => Target::Guid(r.rebased(base)),
            RefTarget::Sid(r) => Target::Sid(r.rebased(base)),
            RefTarget::Account(r) => Target::Account(r.rebased(base)),
            RefTarget::Upn(r) => Target::Upn(r.rebased(base)),
            RefTarget::Sam(r) => Target::Sam(r.rebased(base)),
            RefTarget::Name(r) => Target::Name(r.rebased(base)),
        };
        // Columns this batch has values for are known even when every cell was empty.
        for &(attr, _) in &batch.values {
            if !self.dir.known[attr.index()] {
                self.column_mut(attr);
            }
        }
        let mut domain_rows_seen = vec![false; batch.domains.len()];
        let mut domain_ids = Vec::with_capacity(batch.domains.len());
        for rec in &batch.domains {
            domain_ids.push(self.add_domain_record(rec.clone(), file));
        }
        // The index slots of a row a few ahead are loaded while this one is merged, so the
        // cache misses of their probes overlap.
        const AHEAD: usize = 8;
        for (i, row) in batch.rows.iter().enumerate() {
            if let Some(next) = batch.rows.get(i + AHEAD) {
                let domain = next.keys.root.map_or(NONE, |d| map_dn(d).0);
                self.prefetch_keys(&next.keys, domain);
            }
            self.prefetch_cells();
            let values = &batch.values[row.values.start as usize..row.values.end as usize];
            let refs = &batch.refs[row.refs.start as usize..row.refs.end as usize];
            match &row.what {
                RowWhat::Rejected(category, reason) => {
                    self.account(file)
                        .reject(row.line, reason.clone(), category);
                }
                RowWhat::Object(kind) => {
                    let dn = row.dn.map(map_dn);
                    let parent = row.parent.map(map_dn);
                    let root = row.keys.root.map(map_dn);
                    if let Some(obj) = self.absorb_object(
                        *kind, dn, parent, root, &row.keys, values, base, file, row.line,
                    ) && !refs.is_empty()
                    {
                        let key_targets = &mut self.key_targets;
                        self.refs.extend(
                            refs.iter().map(|r| {
                                PendingRef::new(r.kind, map_target(r.target), key_targets)
                            }),
                        );
                        self.origins.push(Origin {
                            file,
                            from: obj,
                            line: row.line,
                            refs_end: self.refs.len() as u32,
                        });
                    }
                }
                RowWhat::Ou => {
                    let acc = self.account(file);
                    acc.rows += 1;
                    match row.dn.map(map_dn) {
                        Some(d) if !self.ou_records.contains(&d) => {
                            self.ou_records.push(d);
                            self.account(file).accepted += 1;
                        }
                        Some(_) => self.account(file).merged += 1,
                        None => {
                            let acc = self.account(file);
                            acc.rows -= 1;
                            acc.reject(
                                row.line,
                                "OU row without a distinguished name".into(),
                                "no distinguished name",
                            );
                        }
                    }
                }
                RowWhat::Domain(i) => {
                    let i = *i as usize;
                    let first = !std::mem::replace(&mut domain_rows_seen[i], true);
                    let is_new = domain_ids.get(i).is_some_and(|&(_, new)| new);
                    let acc = self.account(file);
                    acc.rows += 1;
                    if first && is_new {
                        acc.accepted += 1;
                    } else {
                        acc.merged += 1;
                    }
                }
                RowWhat::Trust(i) => {
                    let rec = batch.trusts[*i as usize].clone();
                    let key = (rec.source.to_lowercase(), rec.target.to_lowercase());
                    let is_new = self.trust_keys.insert(key);
                    if is_new {
                        self.trust_records.push(rec);
                    }
                    let acc = self.account(file);
                    acc.rows += 1;
                    if is_new {
                        acc.accepted += 1;
                    } else {
                        acc.merged += 1;
                    }
                }
                RowWhat::Membership => {
                    let mut m = PendingMembership {
                        group: None,
                        member: None,
                        file,
                        line: row.line,
                    };
                    for r in refs {
                        match r.kind {
                            RefKind::Group => m.group = Some(map_target(r.target)),
                            _ => m.member = Some(map_target(r.target)),
                        }
                    }
                    self.memberships.push(m);
                }
            }
        }
    }

    /// Returns the domain's index and whether this record created it.
    fn add_domain_record(&mut self, rec: DomainRecord, file: FileId) -> (usize, bool) {
        let name = rec.name.trim().trim_end_matches('.').to_lowercase();
        if let Some(i) = self.domain_records.iter().position(|(r, _)| r.name == name) {
            let (existing, _) = &mut self.domain_records[i];
            existing.netbios = existing.netbios.take().or(rec.netbios);
            existing.sid = existing.sid.take().or(rec.sid);
            return (i, false);
        }
        self.domain_records
            .push((DomainRecord { name, ..rec }, file));
        (self.domain_records.len() - 1, true)
    }

    #[allow(clippy::too_many_arguments)]
    fn absorb_object(
        &mut self,
        kind: ObjectKind,
        dn: Option<DnId>,
        parent: Option<DnId>,
        root: Option<DnId>,
        keys: &RowKeys,
        values: &[(Attr, TextRef)],
        base: usize,
        file: FileId,
        line: u64,
    ) -> Option<u32> {
        // Identity keys, in the spec's order of preference, found and hashed by the parser.
        let rebase = |k: Option<(TextRef, u64)>| k.map(|(r, h)| (r.rebased(base), h));
        let (sid, upn, sam) = (rebase(keys.sid), rebase(keys.upn), rebase(keys.sam));
        let domain = root.map_or(NONE, |d| d.0);
        if self.obj_by_dn.len() < self.dir.dns.len() {
            self.obj_by_dn.resize(self.dir.dns.len(), NONE);
        }
        // Keys are read only to compare them with a match: a new object's never are.
        let text = |r: TextRef| self.dir.text.get(r).unwrap_or_default();
        let row_guid = keys.guid;
        let mut candidates = Candidates::default();
        if let Some(o) = row_guid.and_then(|g| self.lookup_guid(g)) {
            candidates.push(("objectGUID", o));
        }
        if let Some(d) = dn
            && self.obj_by_dn[d.index()] != NONE
        {
            candidates.push(("distinguishedName", self.obj_by_dn[d.index()]));
        }
        let acct_key = sam
            .filter(|_| domain != NONE)
            .map(|(r, h)| (r, Self::account_hash_of(domain, h)));
        let sid_hit = sid.and_then(|(r, h)| self.lookup_attr_hashed(Attr::Sid, h, || text(r)));
        let acct_hit =
            acct_key.and_then(|(r, h)| self.lookup_account_hashed(domain, h, || text(r)));
        let upn_hit =
            upn.and_then(|(r, h)| self.lookup_attr_hashed(Attr::UserPrincipalName, h, || text(r)));
        if let Some(o) = sid_hit {
            candidates.push(("SID", o));
        }
        if let Some(o) = acct_hit {
            candidates.push(("DOMAIN\\sAMAccountName", o));
        }
        if let Some(o) = upn_hit {
            candidates.push(("userPrincipalName", o));
        }
        let hashes = KeyHashes {
            guid: row_guid,
            sid: sid.map(|(_, h)| h).filter(|_| sid_hit.is_none()),
            upn: upn.map(|(_, h)| h).filter(|_| upn_hit.is_none()),
            account: acct_key.map(|(_, h)| h).filter(|_| acct_hit.is_none()),
        };
        // A match on a weaker key is the same object only if no stronger key of both disagrees:
        // two users that share a UPN (a UPN-DUP defect) but have different GUIDs or DNs are two.
        let row_sid = sid.map(|(r, _)| r);
        let row_sam = sam.map(|(r, _)| r);
        let compatible = |rank: usize, o: u32| -> bool {
            let other_guid = self.col_text(o, Attr::ObjectGuid).and_then(guid_key);
            let other_dn = self.dir.dn_of[o as usize];
            let other_sid = self.col_text(o, Attr::Sid);
            let other_sam = self.col_text(o, Attr::SamAccountName);
            let differ = [
                matches!((row_guid, other_guid), (Some(a), Some(b)) if a != b),
                matches!((dn, other_dn), (Some(a), b) if b != NONE && a.0 != b),
                matches!((row_sid, other_sid), (Some(a), Some(b)) if !ci_eq(text(a), b)),
                domain != NONE
                    && self.account_domain[o as usize] == domain
                    && matches!((row_sam, other_sam), (Some(a), Some(b)) if !ci_eq(text(a), b)),
            ];
            differ.iter().take(rank).all(|d| !d)
        };
        let rank_of = |key: &str| match key {
            "objectGUID" => 0,
            "distinguishedName" => 1,
            "SID" => 2,
            "userPrincipalName" => 4,
            _ => 3,
        };
        candidates.retain(|key, o| compatible(rank_of(key), o));
        let target = candidates.first().map(|(_, o)| o);
        if let Some(t) = target {
            let existing = self.dir.kinds[t as usize];
            if existing != kind {
                let (key, _) = candidates.get(0);
                let src = self.dir.source[t as usize];
                self.account(file).reject(
                    line,
                    format!(
                        "its {key} already belongs to a {} (file #{} line {}): a {} cannot merge with it",
                        existing.as_str(),
                        src.file.0,
                        src.line,
                        kind.as_str()
                    ),
                    "identity already used by another kind of object",
                );
                return None;
            }
            // Keys that point at different objects: merge into the preferred one, report it.
            for i in 1..candidates.len {
                let (key, other) = candidates.get(i);
                if other != t {
                    self.push_conflict(
                        t,
                        "identity",
                        format!("object #{t}"),
                        format!("{key} matches object #{other}"),
                        file,
                        line,
                    );
                }
            }
        }
        let obj = match target {
            Some(t) => {
                self.account(file).rows += 1;
                self.account(file).merged += 1;
                t
            }
            None => {
                let id = self.dir.kinds.len() as u32;
                self.dir.kinds.push(kind);
                self.dir.dn_of.push(NONE);
                self.dir.container_of.push(NONE);
                self.dir.source.push(SourceRef { file, line });
                self.account_domain.push(NONE);
                let acc = self.account(file);
                acc.rows += 1;
                acc.accepted += 1;
                id
            }
        };
        if let Some(d) = dn {
            if self.dir.dn_of[obj as usize] == NONE {
                self.dir.dn_of[obj as usize] = d.0;
                self.dir.container_of[obj as usize] = parent.map_or(NONE, |p| p.0);
                self.obj_by_dn[d.index()] = obj;
            } else if self.obj_by_dn[d.index()] == NONE {
                // The same object under another spelling (an ASCII export's `CN=Jos?`, or a DN
                // from before a move): references written that way still reach it. Other than
                // a lossy spelling, two DNs for one identity are a conflict to report: AD gives
                // one object one DN, so the rows disagree on which object they describe.
                self.obj_by_dn[d.index()] = obj;
                let kept = self
                    .dir
                    .dns
                    .display(DnId(self.dir.dn_of[obj as usize]))
                    .to_string();
                let other = self.dir.dns.display(d).to_string();
                if !lossy_spelling(&kept, &other) {
                    self.push_conflict(obj, "distinguishedName", kept, other, file, line);
                }
            }
        }
        if self.account_domain[obj as usize] == NONE {
            self.account_domain[obj as usize] = domain;
        }
        let mut reindex = false;
        let is_key = |a: Attr| {
            matches!(
                a,
                Attr::Sid | Attr::UserPrincipalName | Attr::SamAccountName | Attr::ObjectGuid
            )
        };
        for &(attr, r) in values {
            let r = r.rebased(base);
            let (col, bases) = self.column_mut(attr);
            let slot = col.get(obj as usize, bases);
            if slot.is_unknown() || (slot.is_empty() && r.has_value()) {
                col.set(obj as usize, r, bases);
                reindex |= target.is_some() && r.has_value() && is_key(attr);
                continue;
            }
            if !slot.has_value() || !r.has_value() {
                continue;
            }
            let old = self.dir.text.get(slot).unwrap_or_default();
            let new = self.dir.text.get(r).unwrap_or_default();
            match agree(attr, old, new) {
                Agreement::Same => {}
                Agreement::Replace => {
                    if is_key(attr) {
                        // The old key value is about to change: drop its index entries now.
                        self.unindex_object(obj);
                        reindex = true;
                    }
                    let (col, bases) = self.column_mut(attr);
                    col.set(obj as usize, r, bases);
                }
                Agreement::Conflict => {
                    let (old, new) = (old.to_string(), new.to_string());
                    self.push_conflict(obj, attr.ldap_name(), old, new, file, line);
                }
            }
        }
        if target.is_none() {
            self.index_new(obj, hashes);
        } else if reindex {
            self.index_object(obj);
        }
        Some(obj)
    }

    /// Indexes a new object's keys, hashed by `absorb_object`: only keys no object held yet.
    fn index_new(&mut self, obj: u32, h: KeyHashes) {
        if let Some(g) = h.guid {
            self.index_guid(g, obj);
        }
        for (hash, index) in [
            (h.sid, &mut self.sid_index),
            (h.upn, &mut self.upn_index),
            (h.account, &mut self.account_index),
        ] {
            if let Some(hash) = hash {
                index.insert(hash, obj);
            }
        }
    }

    fn push_conflict(
        &mut self,
        obj: u32,
        attribute: &'static str,
        kept: String,
        other: String,
        file: FileId,
        line: u64,
    ) {
        self.dir.conflict_count += 1;
        if self.dir.conflicts.len() < MAX_EXAMPLES {
            self.dir.conflicts.push(Conflict {
                object: super::ObjectId(obj),
                attribute,
                kept,
                other,
                file: file.0,
                line,
            });
        }
    }

    fn push_unresolved(&mut self, kind: &'static str, target: String, file: FileId, line: u64) {
        self.dir.unresolved_count += 1;
        if self.dir.unresolved.len() < MAX_EXAMPLES {
            self.dir.unresolved.push(Unresolved {
                kind,
                target,
                file: file.0,
                line,
            });
        }
    }

    /// What reference `r`, resolved to object `t`, becomes.
    fn applied(&self, kind: RefKind, from: u32, t: u32) -> Applied {
        let from_kind = self.dir.kinds[from as usize];
        let to_kind = self.dir.kinds[t as usize];
        match kind {
            RefKind::MemberOf if to_kind == ObjectKind::Group => {
                Applied::Edge(((from as u64) << 32) | t as u64)
            }
            RefKind::PrimaryGroup if to_kind == ObjectKind::Group => {
                Applied::PrimaryGroup(((from as u64) << 32) | t as u64)
            }
            RefKind::Members if from_kind == ObjectKind::Group => {
                Applied::Edge(((t as u64) << 32) | from as u64)
            }
            RefKind::Manager if to_kind != ObjectKind::Group => Applied::Manager(t),
            _ => Applied::WrongKind(t),
        }
    }

    /// Resolves every reference and returns the finished directory.
    pub fn finish(mut self) -> Directory {
        if self.dir.columns.is_empty() {
            self.dir.columns = vec![None; Attr::COUNT];
            self.dir.known = vec![false; Attr::COUNT];
        }
        let n = self.dir.kinds.len();
        self.build_domains_and_containers();
        let names = NameIndex::build(&self);

        // Object references.
        self.dir.manager_of = vec![NONE; n];
        self.dir.primary_group_of = vec![NONE; n];
        let refs = std::mem::take(&mut self.refs);
        let mut has_primary_dn = vec![false; n];
        // Resolving and sorting out what each reference becomes read only the indexes and the
        // kinds: done in parallel. Membership edges (nine in ten references) are gathered in
        // parallel too; only the rest (managers, primary groups, the unresolved) are applied in
        // order, so the last manager given wins and every report keeps its input order.
        // Each part holds the edges and the other outcomes of a run of consecutive references, the
        // parts in reference order: no outcome is stored for the nine in ten that are plain edges,
        // and each edge list is sized for its run up front, so none regrows and copies itself.
        const RUN: usize = 1 << 16;
        let parts: Vec<ResolvedPart> = {
            let this = &self;
            refs.par_chunks(RUN)
                .enumerate()
                .map(|(k, run)| {
                    let mut part = ResolvedPart {
                        edges: Vec::with_capacity(run.len()),
                        others: Vec::new(),
                    };
                    let first = k * RUN;
                    // The row of the run's first reference, then each next one as its run ends.
                    let mut at = this
                        .origins
                        .partition_point(|o| o.refs_end as usize <= first);
                    for (j, r) in run.iter().enumerate() {
                        let i = first + j;
                        while this.origins[at].refs_end as usize <= i {
                            at += 1;
                        }
                        let o = this.origins[at];
                        let target = r.target(&this.key_targets);
                        let applied = match this.resolve(&names, target, o.file) {
                            Ok(t) => this.applied(r.kind(), o.from, t),
                            Err(why) => Applied::Unresolved(why),
                        };
                        if let Some(e) = applied.edge() {
                            part.edges.push(e);
                        }
                        if !matches!(applied, Applied::Edge(_)) {
                            part.others.push((i as u32, at as u32, applied));
                        }
                    }
                    part
                })
                .collect()
        };
        let mut edges: Vec<Vec<u64>> = Vec::new();
        for part in parts {
            for &(i, at, applied) in &part.others {
                let r = refs[i as usize];
                let (kind, target) = (r.kind(), r.target(&self.key_targets));
                let Origin {
                    file, from, line, ..
                } = self.origins[at as usize];
                if kind == RefKind::PrimaryGroup {
                    has_primary_dn[from as usize] = true;
                }
                match applied {
                    Applied::Edge(_) => {}
                    Applied::PrimaryGroup(e) => self.dir.primary_group_of[from as usize] = e as u32,
                    Applied::Manager(t) => self.dir.manager_of[from as usize] = t,
                    Applied::Unresolved(why) => {
                        let label = format!("{} ({})", self.target_label(target), why.describe());
                        self.push_unresolved(kind.as_str(), label, file, line);
                    }
                    Applied::WrongKind(t) => {
                        let label = format!(
                            "{} (a {}, not a {})",
                            self.target_label(target),
                            self.dir.kinds[t as usize].as_str(),
                            if kind == RefKind::Manager {
                                "user or contact"
                            } else {
                                "group"
                            }
                        );
                        self.push_unresolved(kind.as_str(), label, file, line);
                    }
                }
            }
            edges.push(part.edges);
        }
        super::drop_aside(refs);
        let mut more_edges = Vec::new();
        self.primary_group_edges(&mut more_edges, &has_primary_dn);

        // Membership rows: each becomes accepted (a new edge), merged (an edge already known)
        // or rejected.
        let memberships = std::mem::take(&mut self.memberships);
        if !memberships.is_empty() {
            let mut seen: hashbrown::HashSet<u64> = edges
                .iter()
                .chain([&more_edges])
                .flatten()
                .copied()
                .collect();
            for m in &memberships {
                let resolved = match (m.group, m.member) {
                    (Some(g), Some(mb)) => (
                        self.resolve(&names, g, m.file),
                        self.resolve(&names, mb, m.file),
                    ),
                    _ => {
                        self.account(m.file).reject(
                            m.line,
                            "membership row without a group or a member".into(),
                            "incomplete membership row",
                        );
                        continue;
                    }
                };
                match resolved {
                    (Ok(g), Ok(mb)) if self.dir.kinds[g as usize] == ObjectKind::Group => {
                        let e = ((mb as u64) << 32) | g as u64;
                        let acc = self.account(m.file);
                        acc.rows += 1;
                        if seen.insert(e) {
                            acc.accepted += 1;
                            more_edges.push(e);
                        } else {
                            acc.merged += 1;
                        }
                    }
                    (Ok(g), Ok(_)) => {
                        let kind = self.dir.kinds[g as usize].as_str();
                        self.account(m.file).reject(
                            m.line,
                            format!("the group of the row is a {kind}, not a group"),
                            "group is not a group",
                        );
                    }
                    (Err(why), _) => {
                        let label = self.target_label(m.group.unwrap_or(Target::Dn(DnId(0))));
                        let category = match why {
                            Unfound::Missing => "group not found",
                            Unfound::Ambiguous => "group name ambiguous",
                        };
                        self.account(m.file).reject(
                            m.line,
                            format!("group {label} {}", why.describe()),
                            category,
                        );
                    }
                    (_, Err(why)) => {
                        let label = self.target_label(m.member.unwrap_or(Target::Dn(DnId(0))));
                        let category = match why {
                            Unfound::Missing => "member not found",
                            Unfound::Ambiguous => "member name ambiguous",
                        };
                        self.account(m.file).reject(
                            m.line,
                            format!("member {label} {}", why.describe()),
                            category,
                        );
                    }
                }
            }
        }

        edges.push(more_edges);
        let groups_of = Adjacency::from_edges(n, &edges);
        super::drop_aside(edges);
        self.dir.members_of = groups_of.transposed(n);
        self.dir.groups_of = groups_of;
        self.dir.obj_by_dn = std::mem::take(&mut self.obj_by_dn);
        self.dir.obj_by_dn.resize(self.dir.dns.len(), NONE);
        // Rows are rejected as they are read, references once every file is: put the examples
        // back in the file's order, which is how a consultant reads them against the file (the
        // counts by reason already group them).
        for f in &mut self.dir.files {
            f.rejections.sort_by_key(|r| r.line);
        }
        let dir = std::mem::take(&mut self.dir);
        // The identity indexes, origins and the rest of the merge's state.
        super::drop_aside(self);
        dir
    }

    fn target_label(&self, t: Target) -> String {
        match t {
            Target::Dn(d) => self.dir.dns.display(d).to_string(),
            Target::Guid(r)
            | Target::Sid(r)
            | Target::Account(r)
            | Target::Upn(r)
            | Target::Sam(r)
            | Target::Name(r) => format!("'{}'", self.dir.text.get(r).unwrap_or_default()),
        }
    }

    fn resolve(&self, names: &NameIndex, t: Target, file: FileId) -> Result<u32, Unfound> {
        let text = |r: TextRef| self.dir.text.get(r).filter(|s| !s.is_empty());
        let found = |o: Option<u32>| o.ok_or(Unfound::Missing);
        match t {
            Target::Dn(d) => found(
                self.obj_by_dn
                    .get(d.index())
                    .copied()
                    .filter(|&o| o != NONE),
            ),
            Target::Guid(r) => found(text(r).and_then(guid_key).and_then(|g| self.lookup_guid(g))),
            Target::Sid(r) => found(text(r).and_then(|s| self.lookup_attr(Attr::Sid, s))),
            Target::Upn(r) => {
                found(text(r).and_then(|u| self.lookup_attr(Attr::UserPrincipalName, u)))
            }
            Target::Account(r) => found(text(r).and_then(|t| {
                let (netbios, sam) = t.split_once('\\')?;
                let domain = self.netbios_root(netbios)?;
                self.lookup_account(domain, sam)
            })),
            Target::Sam(r) => {
                let s = text(r).ok_or(Unfound::Missing)?;
                NameIndex::find(&names.by_sam, self.file_domain(file), s)
            }
            Target::Name(r) => {
                let s = text(r).ok_or(Unfound::Missing)?;
                let domain = self.file_domain(file);
                match NameIndex::find(&names.by_name, domain, s) {
                    Err(Unfound::Missing) => NameIndex::find(&names.by_sam, domain, s),
                    r => r,
                }
            }
        }
    }

    /// The domain a file speaks of (an ADRecon folder's `Domain.csv`), as a domain id.
    fn file_domain(&self, file: FileId) -> Option<u32> {
        let name = self.file_domains.get(file.0 as usize)?.as_deref()?;
        self.dir
            .domains
            .iter()
            .position(|d| d.name.eq_ignore_ascii_case(name))
            .map(|i| i as u32)
    }

    /// Names the domain a file's name-only references (ADRecon's `Group Name`) belong to.
    pub fn set_file_domain(&mut self, file: FileId, domain: &str) {
        let i = file.0 as usize;
        if self.file_domains.len() <= i {
            self.file_domains.resize(i + 1, None);
        }
        self.file_domains[i] = Some(domain.trim().trim_end_matches('.').to_lowercase());
    }

    /// The domain root DN id for a NetBIOS name: from a domain record, else the first label of a
    /// domain's DNS name (the default NetBIOS name).
    fn netbios_root(&self, netbios: &str) -> Option<u32> {
        let name = self
            .dir
            .domains
            .iter()
            .find(|d| {
                d.netbios
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(netbios))
            })
            .or_else(|| {
                self.dir.domains.iter().find(|d| {
                    d.name
                        .split('.')
                        .next()
                        .is_some_and(|l| l.eq_ignore_ascii_case(netbios))
                })
            })?
            .name
            .clone();
        self.dir.dns.get(&dn::domain_dn(&name)).map(|d| d.0)
    }

    /// One `member_of` edge per object whose primaryGroupID resolves: through the group SID
    /// (the member's domain SID plus the RID), else the well-known group name in its domain.
    /// Resolved in parallel, each thread remembering the (domain, RID) pairs it has seen: a
    /// directory has a handful of primary groups and a million objects pointing at them.
    fn primary_group_edges(&mut self, edges: &mut Vec<u64>, has_primary_dn: &[bool]) {
        let Some(pg) = self.dir.columns[Attr::PrimaryGroupId.index()].as_ref() else {
            return;
        };
        let this = &*self;
        let sids_by_domain: Vec<Option<&str>> =
            this.dir.domains.iter().map(|d| d.sid.as_deref()).collect();
        /// A row's primary group: found, or the RID that names none.
        enum Primary {
            None,
            Group(u32),
            Unresolved(u32),
        }
        type Memo<'s> = (
            HashMap<(&'s str, u32), Option<u32>>,
            HashMap<(u32, u32), Option<u32>>,
        );
        let resolved: Vec<Primary> = (0..pg.len())
            .into_par_iter()
            .map_init(Memo::default, |(by_sid, by_name), obj| {
                let rid = this.dir.text.get(pg.get(obj, &this.dir.cell_bases));
                let Some(rid) = rid.and_then(|s| s.parse::<u32>().ok()) else {
                    return Primary::None;
                };
                let obj = obj as u32;
                let domain_sid = this
                    .col_text(obj, Attr::Sid)
                    .and_then(|s| s.rsplit_once('-').map(|(d, _)| d))
                    .or_else(|| {
                        let d = this.dir.domain_of[obj as usize];
                        (d != NONE).then(|| sids_by_domain[d as usize]).flatten()
                    });
                let group = domain_sid
                    .and_then(|d| {
                        *by_sid.entry((d, rid)).or_insert_with(|| {
                            this.lookup_attr(Attr::Sid, &format!("{d}-{rid}"))
                                .filter(|&g| this.dir.kinds[g as usize] == ObjectKind::Group)
                        })
                    })
                    .or_else(|| {
                        let root = this.account_domain.get(obj as usize).copied()?;
                        *by_name
                            .entry((root, rid))
                            .or_insert_with(|| this.well_known_group(obj, rid))
                    });
                match group {
                    Some(g) => Primary::Group(g),
                    None => Primary::Unresolved(rid),
                }
            })
            .collect();
        for (obj, p) in resolved.into_iter().enumerate() {
            match p {
                Primary::None => {}
                Primary::Group(g) => {
                    self.dir.primary_group_of[obj] = g;
                    edges.push(((obj as u64) << 32) | g as u64)
                }
                // Already reported (or resolved) through the object's PrimaryGroup DN.
                Primary::Unresolved(_) if has_primary_dn[obj] => {}
                Primary::Unresolved(rid) => {
                    let src = self.dir.source[obj];
                    self.push_unresolved(
                        "primaryGroupID",
                        format!("{rid} (no group with that RID in the inputs)"),
                        src.file,
                        src.line,
                    );
                }
            }
        }
    }

    fn well_known_group(&self, obj: u32, rid: u32) -> Option<u32> {
        let name = match rid {
            512 => "Domain Admins",
            513 => "Domain Users",
            514 => "Domain Guests",
            515 => "Domain Computers",
            516 => "Domain Controllers",
            518 => "Schema Admins",
            519 => "Enterprise Admins",
            _ => return None,
        };
        let root = self.account_domain.get(obj as usize).copied()?;
        if root == NONE {
            return None;
        }
        let dn = format!("CN={name},CN=Users,{}", self.dir.dns.display(DnId(root)));
        let d = self.dir.dns.get(&dn)?;
        self.obj_by_dn
            .get(d.index())
            .copied()
            .filter(|&o| o != NONE)
    }

    /// Domains (from DNs, records and trusts), containers and OUs.
    fn build_domains_and_containers(&mut self) {
        let n = self.dir.kinds.len();
        let mut domain_by_root: HashMap<u32, u32> = HashMap::new();
        let mut domains: Vec<Domain> = Vec::new();
        let mut by_name: HashMap<String, u32> = HashMap::new();
        let mut add = |domains: &mut Vec<Domain>, name: &str, origin: DomainOrigin| -> u32 {
            if let Some(&i) = by_name.get(name) {
                return i;
            }
            let i = domains.len() as u32;
            domains.push(Domain {
                name: name.to_string(),
                netbios: None,
                sid: None,
                origin,
                objects: 0,
            });
            by_name.insert(name.to_string(), i);
            i
        };
        self.dir.domain_of = vec![NONE; n];
        for obj in 0..n {
            let root = self.account_domain[obj];
            if root == NONE {
                continue;
            }
            let d = match domain_by_root.get(&root) {
                Some(&d) => d,
                None => {
                    let name = dn::domain_of(self.dir.dns.display(DnId(root))).unwrap_or_default();
                    let d = add(&mut domains, &name, DomainOrigin::ObjectDn);
                    domain_by_root.insert(root, d);
                    d
                }
            };
            self.dir.domain_of[obj] = d;
            domains[d as usize].objects += 1;
        }
        for (rec, _) in &self.domain_records {
            if rec.name.is_empty() {
                continue;
            }
            let d = add(&mut domains, &rec.name, DomainOrigin::Record) as usize;
            domains[d].netbios = domains[d].netbios.take().or(rec.netbios.clone());
            domains[d].sid = domains[d].sid.take().or(rec.sid.clone());
            if domains[d].origin == DomainOrigin::Trust {
                domains[d].origin = DomainOrigin::Record;
            }
        }
        // A domain's SID, when no record gave it: the SIDs of its objects minus their RID.
        for obj in 0..n {
            let d = self.dir.domain_of[obj];
            if d == NONE || domains[d as usize].sid.is_some() {
                continue;
            }
            if let Some((dsid, _)) = self
                .col_text(obj as u32, Attr::Sid)
                .and_then(|s| s.rsplit_once('-'))
                .filter(|(d, _)| d.starts_with("S-1-5-21-"))
            {
                domains[d as usize].sid = Some(dsid.to_string());
            }
        }
        let trusts = std::mem::take(&mut self.trust_records);
        for t in &trusts {
            let s = add(
                &mut domains,
                &t.source.trim().to_lowercase(),
                DomainOrigin::Trust,
            );
            let g = add(
                &mut domains,
                &t.target.trim().to_lowercase(),
                DomainOrigin::Trust,
            );
            self.dir.trusts.push(Trust {
                source: DomainId(s),
                target: DomainId(g),
                direction: t.direction.clone(),
                trust_type: t.trust_type.clone(),
                attributes: t.attributes.clone(),
            });
        }
        self.dir.domains = domains;

        // Containers: each object's was interned with its DN; here their parents up to the
        // domain root, over the distinct containers only.
        let mut parent_of: Vec<u32> = Vec::new();
        let mut queue: Vec<u32> = self
            .dir
            .container_of
            .iter()
            .copied()
            .filter(|&c| c != NONE)
            .collect();
        queue.par_sort_unstable();
        queue.dedup();
        for &ou in &self.ou_records {
            queue.push(ou.0);
        }
        let mut visited: hashbrown::HashSet<u32> = hashbrown::HashSet::new();
        while let Some(c) = queue.pop() {
            if !visited.insert(c) {
                continue;
            }
            if parent_of.len() <= c as usize {
                parent_of.resize(c as usize + 1, NONE);
            }
            let display = self.dir.dns.display(DnId(c)).to_string();
            if let Some(p) = dn::parent(&display).and_then(|p| self.dir.dns.intern(p).ok()) {
                if parent_of.len() <= c as usize {
                    parent_of.resize(c as usize + 1, NONE);
                }
                parent_of[c as usize] = p.0;
                queue.push(p.0);
            }
        }
        parent_of.resize(self.dir.dns.len(), NONE);
        self.dir.container_parent = parent_of;

        let mut ou_ids: Vec<u32> = visited
            .into_iter()
            .filter(|&c| {
                dn::first_rdn_type(self.dir.dns.display(DnId(c)))
                    .is_some_and(|t| t.eq_ignore_ascii_case("OU"))
            })
            .collect();
        ou_ids.sort_unstable();
        let mut ou_pos: HashMap<u32, usize> = HashMap::new();
        for (i, &c) in ou_ids.iter().enumerate() {
            ou_pos.insert(c, i);
        }
        let mut ous: Vec<Ou> = ou_ids
            .iter()
            .map(|&c| {
                let display = self.dir.dns.display(DnId(c));
                let domain = dn::domain_of(display).and_then(|name| {
                    self.dir
                        .domains
                        .iter()
                        .position(|d| d.name == name)
                        .map(|i| DomainId(i as u32))
                });
                Ou {
                    dn: DnId(c),
                    domain,
                    objects: 0,
                    from_record: self.ou_records.contains(&DnId(c)),
                }
            })
            .collect();
        for &c in &self.dir.container_of {
            if let Some(&i) = ou_pos.get(&c) {
                ous[i].objects += 1;
            }
        }
        self.dir.ous = ous;
        if self.obj_by_dn.len() < self.dir.dns.len() {
            self.obj_by_dn.resize(self.dir.dns.len(), NONE);
        }
    }
}

/// Objects by common name and by sAMAccountName, for references that give only a name; both
/// across the directory and within each domain, since `Domain Admins` exists in every domain and an
/// ADRecon folder names groups of its own domain only. A name held by several objects resolves to
/// none, and is reported as ambiguous rather than guessed.
struct NameIndex {
    by_name: super::fold::CiMap<(u32, bool)>,
    by_sam: super::fold::CiMap<(u32, bool)>,
}

/// What a run of references resolved to (see [`DirectoryBuilder::finish`]).
#[derive(Default)]
struct ResolvedPart {
    /// Membership edges, primary groups included, packed as member << 32 | group.
    edges: Vec<u64>,
    /// Every outcome but a plain membership edge, with the index of its reference and of that
    /// reference's origin.
    others: Vec<(u32, u32, Applied)>,
}

/// What a resolved reference becomes in the directory.
#[derive(Clone, Copy)]
enum Applied {
    /// A membership edge, packed as member << 32 | group.
    Edge(u64),
    /// The object's primary group, a membership edge too (packed the same way).
    PrimaryGroup(u64),
    Manager(u32),
    Unresolved(Unfound),
    /// Resolved to an object of the wrong kind (a group as manager, a user as group).
    WrongKind(u32),
}

impl Applied {
    /// The membership edge it adds, if any.
    fn edge(&self) -> Option<u64> {
        match *self {
            Applied::Edge(e) | Applied::PrimaryGroup(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a reference found no object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unfound {
    Missing,
    Ambiguous,
}

impl Unfound {
    fn describe(self) -> &'static str {
        match self {
            Unfound::Missing => "is not in the inputs",
            Unfound::Ambiguous => "names several objects of the inputs (ambiguous)",
        }
    }
}

fn scoped(domain: Option<u32>, name: &str) -> String {
    match domain {
        Some(d) => format!("{d}\u{1}{name}"),
        None => name.to_string(),
    }
}

impl NameIndex {
    fn build(b: &DirectoryBuilder) -> NameIndex {
        let mut by_name = super::fold::CiMap::default();
        let mut by_sam = super::fold::CiMap::default();
        // Only references by a key other than a DN can name their target.
        let needed = !b.key_targets.is_empty()
            && b.refs
                .iter()
                .any(|r| matches!(r.target(&b.key_targets), Target::Name(_) | Target::Sam(_)))
            || b.memberships.iter().any(|m| {
                matches!(m.group, Some(Target::Name(_) | Target::Sam(_)))
                    || matches!(m.member, Some(Target::Name(_) | Target::Sam(_)))
            });
        if !needed {
            return NameIndex { by_name, by_sam };
        }
        let add = |map: &mut super::fold::CiMap<(u32, bool)>, key: &str, obj: u32| {
            let e = map.entry_or_insert_with(key, || (obj, true));
            if e.0 != obj {
                e.1 = false;
            }
        };
        for obj in 0..b.dir.kinds.len() as u32 {
            let domain = b
                .dir
                .domain_of
                .get(obj as usize)
                .copied()
                .filter(|&d| d != NONE);
            let cn = b.col_text(obj, Attr::Cn).map(str::to_string).or_else(|| {
                let d = b.dir.dn_of[obj as usize];
                (d != NONE)
                    .then(|| {
                        dn::first_rdn_value(b.dir.dns.display(DnId(d))).map(|c| c.into_owned())
                    })
                    .flatten()
            });
            if let Some(cn) = cn {
                add(&mut by_name, &cn, obj);
                if domain.is_some() {
                    add(&mut by_name, &scoped(domain, &cn), obj);
                }
            }
            if let Some(sam) = b.col_text(obj, Attr::SamAccountName) {
                add(&mut by_sam, sam, obj);
                if domain.is_some() {
                    add(&mut by_sam, &scoped(domain, sam), obj);
                }
            }
        }
        NameIndex { by_name, by_sam }
    }

    fn find(
        map: &super::fold::CiMap<(u32, bool)>,
        domain: Option<u32>,
        s: &str,
    ) -> Result<u32, Unfound> {
        let look = |key: &str| match map.get(key) {
            Some(&(o, true)) => Ok(o),
            Some(_) => Err(Unfound::Ambiguous),
            None => Err(Unfound::Missing),
        };
        match domain {
            // Within the file's domain first; elsewhere only if the domain has no such name.
            Some(_) => match look(&scoped(domain, s)) {
                Err(Unfound::Missing) => look(s),
                r => r,
            },
            None => look(s),
        }
    }
}

/// Whether two spellings of a DN differ only where one has a '?' (Windows PowerShell 5.1's
/// ASCII export writes one for every letter it cannot encode), or only in case.
fn lossy_spelling(a: &str, b: &str) -> bool {
    a.chars().count() == b.chars().count()
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| x == '?' || y == '?' || x.to_lowercase().eq(y.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ObjectId;

    fn user(b: &mut RecordBatch, line: u64, dn: &str, vals: &[(Attr, &str)], member_of: &[&str]) {
        let s = b.start_row();
        for (a, v) in vals {
            b.value(*a, v);
        }
        for g in member_of {
            b.dn_ref(RefKind::MemberOf, g).unwrap();
        }
        let d = b.dns.intern(dn).unwrap();
        b.end_row(s, line, RowWhat::Object(ObjectKind::User), Some(d));
    }

    #[test]
    fn canonical_guids_parse_as_any_spelling_does() {
        let canonical = "0b1c2d3e-4f5a-6b7c-8d9e-AFafBC012345";
        assert_eq!(
            guid_key(canonical),
            Some(0x0b1c2d3e_4f5a_6b7c_8d9e_afafbc012345)
        );
        // Every position changed to every kind of byte: the table path and the loop agree.
        for i in 0..canonical.len() {
            for c in [
                '0', '9', 'a', 'f', 'A', 'F', 'g', 'G', '/', ':', '@', '`', '-', ' ',
            ] {
                let mut s = canonical.to_string();
                s.replace_range(i..i + 1, c.encode_utf8(&mut [0; 4]));
                assert_eq!(guid_key(&s), guid_key_loose(&s), "{s}");
            }
        }
        assert_eq!(guid_key(&canonical.replace('-', "")), guid_key(canonical));
        assert_eq!(guid_key(""), None);
    }

    #[test]
    fn merges_on_guid_and_dedups_edges() {
        let mut b = RecordBatch::new(FileId(0));
        user(
            &mut b,
            2,
            "CN=Ann,OU=Staff,DC=contoso,DC=com",
            &[
                (Attr::ObjectGuid, "0b1c2d3e-0000-0000-0000-000000000001"),
                (Attr::Sid, "S-1-5-21-1-2-3-1104"),
                (Attr::PrimaryGroupId, "513"),
            ],
            &["CN=Sales,OU=Groups,DC=contoso,DC=com"],
        );
        let s = b.start_row();
        b.value(Attr::Sid, "S-1-5-21-1-2-3-513");
        let dn_id = b
            .dns
            .intern("CN=Domain Users,CN=Users,DC=contoso,DC=com")
            .unwrap();
        b.end_row(s, 3, RowWhat::Object(ObjectKind::Group), Some(dn_id));
        let s = b.start_row();
        b.dn_ref(RefKind::Members, "cn=ann,ou=staff,dc=contoso,dc=com")
            .unwrap();
        let dn_id = b
            .dns
            .intern("CN=Sales,OU=Groups,DC=contoso,DC=com")
            .unwrap();
        b.end_row(s, 4, RowWhat::Object(ObjectKind::Group), Some(dn_id));
        let mut b2 = RecordBatch::new(FileId(1));
        let s = b2.start_row();
        b2.value(Attr::ObjectGuid, "0b1c2d3e-0000-0000-0000-000000000001");
        b2.value(Attr::SfbEnabled, "True");
        b2.value(Attr::SipAddress, "sip:ann@contoso.com");
        b2.end_row(s, 2, RowWhat::Object(ObjectKind::User), None);
        let mut builder = DirectoryBuilder::new();
        builder.absorb(&b);
        builder.absorb(&b2);
        let d = builder.finish();
        let c = d.counts();
        assert_eq!(
            (c.users, c.groups, c.memberships, c.sfb_users),
            (1, 2, 2, 1)
        );
        assert_eq!(c.domains, 1);
        assert_eq!(c.ous, 2);
        let ann = ObjectId(0);
        assert_eq!(d.value(ann, Attr::SipAddress), Some("sip:ann@contoso.com"));
        assert_eq!(d.groups_of(ann).len(), 2);
        let files = d.file_accounts();
        assert_eq!((files[0].accepted, files[0].merged), (3, 0));
        assert_eq!((files[1].accepted, files[1].merged), (0, 1));
        assert!(files.iter().all(FileAccount::balances));
    }

    #[test]
    fn columns_stop_short_and_grow_when_an_earlier_object_gets_a_value() {
        let guid = |n: u32| format!("0b1c2d3e-0000-0000-0000-{n:012}");
        let row = |b: &mut RecordBatch, line: u64, n: u32, values: &[(Attr, &str)]| {
            let s = b.start_row();
            b.value(Attr::ObjectGuid, &guid(n));
            for &(attr, v) in values {
                b.value(attr, v);
            }
            b.end_row(s, line, RowWhat::Object(ObjectKind::User), None);
        };
        let mut groups_file = RecordBatch::new(FileId(0));
        row(&mut groups_file, 2, 1, &[(Attr::Department, "Sales")]);
        let mut users_file = RecordBatch::new(FileId(1));
        row(&mut users_file, 2, 2, &[(Attr::Mail, "b@contoso.com")]);
        row(&mut users_file, 3, 3, &[(Attr::Mail, "")]);
        let mut late_file = RecordBatch::new(FileId(2));
        row(&mut late_file, 2, 2, &[(Attr::Department, "HR")]);
        row(&mut late_file, 3, 4, &[]);
        let mut builder = DirectoryBuilder::new();
        for b in [&groups_file, &users_file, &late_file] {
            builder.absorb(b);
        }
        let d = builder.finish();
        let (first, second, third, fourth) = (ObjectId(0), ObjectId(1), ObjectId(2), ObjectId(3));
        assert_eq!(d.attr(first, Attr::Department), Some("Sales"));
        assert_eq!(d.attr(second, Attr::Department), Some("HR"));
        assert_eq!(d.attr(third, Attr::Department), None);
        assert_eq!(d.attr(fourth, Attr::Department), None);
        assert_eq!(d.attr(first, Attr::Mail), None);
        assert_eq!(d.attr(second, Attr::Mail), Some("b@contoso.com"));
        assert_eq!(d.attr(third, Attr::Mail), Some(""));
        assert_eq!(d.attr(fourth, Attr::Mail), None);
        assert!(d.is_known(Attr::Department) && d.is_known(Attr::Mail));
        assert!(!d.is_known(Attr::Sid));
    }

    #[test]
    fn each_row_gets_its_own_parent_and_domain_when_they_change_from_row_to_row() {
        let dns = [
            "CN=A,OU=Staff,DC=contoso,DC=com",
            "CN=B,OU=Staff,DC=contoso,DC=com",
            "CN=C,OU=Sales,DC=fabrikam,DC=com",
            "CN=D,OU=Staff,DC=contoso,DC=com",
            "CN=E,OU=Staff,DC=fabrikam,DC=com",
            // The domain of a DN is its parent's (which the batch remembers), unless its own RDN
            // is a DC= one.
            "CN=F,DC=contoso,DC=com",
            "DC=child,DC=contoso,DC=com",
            "CN=G,DC=contoso,DC=com",
            "CN=H,DC=child,DC=contoso,DC=com",
            "CN=I,OU=Staff,DC=contoso,DC=com",
        ];
        let mut b = RecordBatch::new(FileId(0));
        for (i, dn) in dns.iter().enumerate() {
            user(&mut b, i as u64 + 2, dn, &[], &[]);
        }
        let mut builder = DirectoryBuilder::new();
        builder.absorb(&b);
        let d = builder.finish();
        for (i, dn) in dns.iter().enumerate() {
            let id = ObjectId(i as u32);
            let parent = d.container_of(id).map(|c| d.dns().display(c));
            assert_eq!(parent, dn.split_once(',').map(|p| p.1), "{dn}");
            let domain = d
                .domain_of(id)
                .map(|x| d.domains()[x.0 as usize].name.clone());
            let expected = if dn.contains("fabrikam") {
                "fabrikam.com"
            } else if dn.contains("DC=child") {
                "child.contoso.com"
            } else {
                "contoso.com"
            };
            assert_eq!(domain.as_deref(), Some(expected), "{dn}");
        }
    }

    #[test]
    fn conflicts_are_reported_and_lossy_copies_are_not() {
        let mut b = RecordBatch::new(FileId(0));
        user(
            &mut b,
            2,
            "CN=Jos?,DC=x,DC=com",
            &[(Attr::DisplayName, "Jos?"), (Attr::Title, "Engineer")],
            &[],
        );
        user(
            &mut b,
            3,
            "CN=Jos?,DC=x,DC=com",
            &[(Attr::DisplayName, "José"), (Attr::Title, "Manager")],
            &[],
        );
        let mut builder = DirectoryBuilder::new();
        builder.absorb(&b);
        let d = builder.finish();
        assert_eq!(d.value(ObjectId(0), Attr::DisplayName), Some("José"));
        let (conflicts, n) = d.conflicts();
        assert_eq!(n, 1);
        assert_eq!(conflicts[0].attribute, "title");
    }

    #[test]
    fn membership_rows_are_accounted() {
        let mut b = RecordBatch::new(FileId(0));
        user(
            &mut b,
            2,
            "CN=Ann,DC=x,DC=com",
            &[(Attr::SamAccountName, "ann")],
            &["CN=G,DC=x,DC=com"],
        );
        let s = b.start_row();
        b.value(Attr::Cn, "G");
        let dn_id = b.dns.intern("CN=G,DC=x,DC=com").unwrap();
        b.end_row(s, 3, RowWhat::Object(ObjectKind::Group), Some(dn_id));
        let mut m = RecordBatch::new(FileId(1));
        for (line, member) in [(2, "ann"), (3, "bob")] {
            let s = m.start_row();
            m.key_ref(RefKind::Group, RefTarget::Name, "G");
            m.key_ref(RefKind::Member, RefTarget::Sam, member);
            m.end_row(s, line, RowWhat::Membership, None);
        }
        let mut builder = DirectoryBuilder::new();
        builder.absorb(&b);
        builder.absorb(&m);
        let d = builder.finish();
        let f = &d.file_accounts()[1];
        assert_eq!((f.rows, f.accepted, f.merged, f.rejected), (2, 0, 1, 1));
        assert!(f.rejections[0].reason.contains("bob"));
    }

    #[test]
    fn references_by_dn_and_by_key_resolve_and_report_in_input_order() {
        let mut b = RecordBatch::new(FileId(0));
        let s = b.start_row();
        b.value(Attr::Cn, "G");
        let g = b.dns.intern("CN=G,DC=x,DC=com").unwrap();
        b.end_row(s, 2, RowWhat::Object(ObjectKind::Group), Some(g));
        // Rows mixing references by DN and by key, the unresolved ones interleaved.
        // (by DN or by name, kind, target) of each reference of a row.
        type Refs<'a> = &'a [(bool, RefKind, &'a str)];
        let rows: [(u64, &str, Refs); 3] = [
            (
                3,
                "CN=Ann,DC=x,DC=com",
                &[
                    (true, RefKind::MemberOf, "CN=G,DC=x,DC=com"),
                    (false, RefKind::Manager, "nobody"),
                    (true, RefKind::MemberOf, "CN=Gone,DC=x,DC=com"),
                ],
            ),
            (4, "CN=Bob,DC=x,DC=com", &[]),
            (
                5,
                "CN=Cy,DC=x,DC=com",
                &[
                    (false, RefKind::Manager, "ann"),
                    (true, RefKind::MemberOf, "CN=Lost,DC=x,DC=com"),
                    (false, RefKind::MemberOf, "G"),
                    (false, RefKind::Manager, "ghost"),
                ],
            ),
        ];
        for (line, dn, refs) in rows {
            let s = b.start_row();
            b.value(
                Attr::SamAccountName,
                &dn[3..dn.find(',').unwrap()].to_lowercase(),
            );
            for &(by_dn, kind, target) in refs {
                if by_dn {
                    b.dn_ref(kind, target).unwrap();
                } else {
                    b.key_ref(kind, RefTarget::Name, target);
                }
            }
            let d = b.dns.intern(dn).unwrap();
            b.end_row(s, line, RowWhat::Object(ObjectKind::User), Some(d));
        }
        let mut builder = DirectoryBuilder::new();
        builder.absorb(&b);
        let d = builder.finish();
        let id = |dn: &str| d.object_by_dn(dn).unwrap();
        let (ann, cy, g) = (
            id("CN=Ann,DC=x,DC=com"),
            id("CN=Cy,DC=x,DC=com"),
            id("CN=G,DC=x,DC=com"),
        );
        assert_eq!(d.groups_of(ann), &[g]);
        assert_eq!(d.groups_of(cy), &[g]);
        assert_eq!(d.manager_of(cy), Some(ann));
        let (unresolved, count) = d.unresolved();
        assert_eq!(count, 4);
        let seen: Vec<(u64, &str)> = unresolved
            .iter()
            .map(|u| (u.line, u.target.as_str()))
            .collect();
        assert_eq!(
            seen.iter().map(|&(l, _)| l).collect::<Vec<_>>(),
            [3, 3, 5, 5]
        );
        for ((_, target), name) in seen.iter().zip(["nobody", "Gone", "Lost", "ghost"]) {
            assert!(target.contains(name), "{target} should name {name}");
        }
    }
}
